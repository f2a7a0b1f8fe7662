package dev.engram.orchestrator.service.context;

/**
 * Token estimates without a tokenizer: one token per four characters, rounded up, at least one.
 * Close enough for English with BPE vocabularies, and the budget is a guard rail, not an invoice.
 */
public final class Tokens {

  private Tokens() {}

  /** Estimated tokens of {@code text}. */
  public static int estimate(String text) {
    return text == null ? 1 : Math.max(1, (text.length() + 3) / 4);
  }

  /** {@code text} cut to about {@code tokens} tokens, with an ellipsis when cut. */
  public static String clip(String text, int tokens) {
    int chars = Math.max(0, tokens * 4 - 1);
    return text.length() <= chars + 1 ? text : text.substring(0, chars) + "…";
  }
}
