package dev.engram.orchestrator.service.turn;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.DroppedItem;
import dev.engram.orchestrator.service.context.TimeRange;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What went into a turn's context, without the content: sent with {@code done} and returned by
 * {@code POST /api/v1/turns}.
 *
 * @param degraded sources that could not be asked this turn (for example {@code long-term} while
 *     memory-service is down)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContextSummary(
    int tokens,
    int budget,
    int items,
    Map<String, Integer> bySource,
    Map<String, Integer> dropped,
    TimeRange timeRange,
    List<String> degraded) {

  public static ContextSummary of(
      AssembledContext context, TimeRange range, List<String> degraded) {
    Map<String, Integer> dropped = new TreeMap<>();
    for (DroppedItem item : context.dropped()) {
      dropped.merge(item.reason(), 1, Integer::sum);
    }
    return new ContextSummary(
        context.tokens(),
        context.budget(),
        context.items().size(),
        context.countsBySource(),
        dropped,
        range,
        List.copyOf(degraded));
  }
}
