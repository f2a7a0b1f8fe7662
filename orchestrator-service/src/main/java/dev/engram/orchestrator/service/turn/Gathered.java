package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.FactView;
import dev.engram.orchestrator.client.MemoryHit;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.ProcedureView;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.service.context.TimeRange;
import java.util.List;

/**
 * What the services returned for one turn's context.
 *
 * @param parentSummary a summary of the linked parent session, or {@code null}
 * @param degraded the sources that failed (the turn goes on without them)
 */
public record Gathered(
    SessionView session,
    List<MessageView> immediate,
    List<MemoryHit> hits,
    List<FactView> facts,
    List<ProcedureView> procedures,
    String parentSummary,
    TimeRange range,
    List<String> degraded) {}
