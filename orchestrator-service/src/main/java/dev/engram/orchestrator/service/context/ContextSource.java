package dev.engram.orchestrator.service.context;

import java.util.List;

/**
 * Where a context item came from, in the order the truncation policy serves them, each with the
 * share of the budget it is guaranteed before leftovers are handed out.
 */
public enum ContextSource {
  PROFILE("profile", 0.10, "About the user"),
  IMMEDIATE("immediate", 0.35, null),
  WORKING("working", 0.15, "Currently in mind"),
  LONG_TERM("long-term", 0.20, "Relevant memories"),
  FACTS("facts", 0.10, "Known facts and preferences"),
  PROCEDURES("procedures", 0.05, "Relevant procedures"),
  /** The session's metadata and its linked parent's summary (labelled so in turn.completed). */
  SESSION("parent", 0.05, "This session");

  /**
   * The order in which a prompt shows the sources: the system message's sections, then the
   * immediate messages as chat messages of their own.
   */
  public static final List<ContextSource> PROMPT_ORDER =
      List.of(PROFILE, SESSION, FACTS, PROCEDURES, LONG_TERM, WORKING, IMMEDIATE);

  private final String label;
  private final double share;
  private final String heading;

  ContextSource(String label, double share, String heading) {
    this.label = label;
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

  /** The name used in summaries and in {@code turn.completed}. */
  public String label() {
    return label;
  }

  /** The guaranteed share of the budget left after the user's message. */
  public double share() {
    return share;
  }
}
