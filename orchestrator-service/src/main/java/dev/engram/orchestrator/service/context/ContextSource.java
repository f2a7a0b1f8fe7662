package dev.engram.orchestrator.service.context;

/**
 * Where a context item came from, in the order the truncation policy serves them, each with the
 * share of the budget it is guaranteed before leftovers are handed out.
 */
public enum ContextSource {
  PROFILE("profile", 0.10),
  IMMEDIATE("immediate", 0.35),
  WORKING("working", 0.15),
  LONG_TERM("long-term", 0.20),
  FACTS("facts", 0.10),
  PROCEDURES("procedures", 0.05),
  SESSION("parent", 0.05);

  private final String label;
  private final double share;

  ContextSource(String label, double share) {
    this.label = label;
    this.share = share;
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
