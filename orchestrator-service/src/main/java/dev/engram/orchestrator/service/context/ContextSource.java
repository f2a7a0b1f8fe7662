package dev.engram.orchestrator.service.context;

import dev.engram.events.TurnContextSource;
import java.util.List;

/**
 * Where a context item came from, in the order the truncation policy serves them, each with the
 * share of the budget it is guaranteed before leftovers are handed out.
 */
public enum ContextSource {
  PROFILE(TurnContextSource.PROFILE, 0.10, "About the user"),
  IMMEDIATE(TurnContextSource.IMMEDIATE, 0.35, null),
  WORKING(TurnContextSource.WORKING, 0.15, "Currently in mind"),
  LONG_TERM(TurnContextSource.LONG_TERM, 0.20, "Relevant memories"),
  FACTS(TurnContextSource.FACTS, 0.10, "Known facts and preferences"),
  PROCEDURES(TurnContextSource.PROCEDURES, 0.05, "Relevant procedures"),
  /** The current session's metadata. */
  SESSION(TurnContextSource.SESSION, 0.02, "This session"),
  /** The summary of the session the current one is linked to. */
  PARENT(TurnContextSource.PARENT, 0.03, "The earlier session this one continues");

  /**
   * The order in which a prompt shows the sources: the system message's sections, then the
   * immediate messages as chat messages of their own.
   */
  public static final List<ContextSource> PROMPT_ORDER =
      List.of(PROFILE, SESSION, PARENT, FACTS, PROCEDURES, LONG_TERM, WORKING, IMMEDIATE);

  private final TurnContextSource contract;
  private final double share;
  private final String heading;

  ContextSource(TurnContextSource contract, double share, String heading) {
    this.contract = contract;
    this.share = share;
    this.heading = heading;
  }

  /**
   * The heading of its section in the system message; null for immediate messages, which are chat
   * messages of their own.
   */
  public String heading() {
    return heading;
  }

  /**
   * The name used in summaries, previews and {@code turn.completed}: the event contract's ({@link
   * TurnContextSource#key()}).
   */
  public String label() {
    return contract.key();
  }

  /** The guaranteed share of the budget left after the user's message. */
  public double share() {
    return share;
  }
}
