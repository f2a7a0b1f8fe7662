package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.TimeRange;
import java.util.List;

/** A turn's assembled context with what shaped it. */
public record Built(AssembledContext context, TimeRange range, List<String> degraded) {

  public ContextSummary summary() {
    return ContextSummary.of(context, range, degraded);
  }
}
