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
    List<String> degraded) {

  /**
   * Messages stored this long before a turn was accepted are not its own (clocks drift a little).
   */
  private static final java.time.Duration ECHO_SLACK = java.time.Duration.ofSeconds(5);

  /**
   * Without {@code current} in the immediate messages: its store runs while the context is
   * gathered, so the session's last messages may or may not hold it already (a user message with
   * the same content stored since the turn was accepted is taken for it).
   */
  public Gathered withoutEcho(MessageView current) {
    java.time.Instant since = current.createdAt().minus(ECHO_SLACK);
    List<MessageView> kept =
        immediate.stream()
            .filter(
                m ->
                    !(m.id().equals(current.id())
                        || ("user".equalsIgnoreCase(m.role())
                            && m.content().equals(current.content())
                            && m.createdAt() != null
                            && !m.createdAt().isBefore(since))))
            .toList();
    return kept.size() == immediate.size()
        ? this
        : new Gathered(session, kept, hits, facts, procedures, parentSummary, range, degraded);
  }
}
