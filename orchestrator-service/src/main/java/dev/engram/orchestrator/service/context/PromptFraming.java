package dev.engram.orchestrator.service.context;

/**
 * What the rendered prompt adds around the context's items, in estimated tokens, so that the budget
 * covers the whole prompt and not only the items: the preamble and the time-range note of the
 * system message, a heading per source present, a bullet per item, hook instructions, and the
 * framing every chat message costs (role and delimiters, {@value #MESSAGE_OVERHEAD} tokens in the
 * chat-completions accounting). Each part is estimated on its own: since {@link Tokens#estimate}
 * rounds up, the sum is never less than the estimate of the prompt as rendered.
 */
public final class PromptFraming {

  /** The system message's opening. */
  public static final String PREAMBLE =
      "You are Engram, an assistant with a persistent memory of this user. Use what you remember "
          + "when it helps, say so when you are unsure, and never invent memories.";

  /** Tokens a chat message costs besides its content. */
  public static final int MESSAGE_OVERHEAD = 4;

  /** Framing as the prompt renders it. */
  public static final PromptFraming PROMPT = new PromptFraming(true);

  /** Items and instructions only (to pin the budget policy's arithmetic on its own). */
  public static final PromptFraming NONE = new PromptFraming(false);

  private final boolean counted;

  private PromptFraming(boolean counted) {
    this.counted = counted;
  }

  /** The sentence the system message gets for a time-aware question, or null. */
  public static String rangeNote(TimeRange range) {
    return range == null
        ? null
        : "The user asks about %s (%s to %s); the memories above are from that time."
            .formatted(range.phrase(), range.from(), range.to());
  }

  /** The system message's section heading of {@code source} (with its separator). */
  public static String heading(ContextSource source) {
    return "\n\n" + source.heading() + ":";
  }

  /**
   * Tokens of the prompt besides items, headings and instructions: the preamble, the note of {@code
   * range}, and the framing of the system and the user's message.
   */
  public int fixed(TimeRange range) {
    if (!counted) {
      return 0;
    }
    String note = rangeNote(range);
    return Tokens.estimate(PREAMBLE)
        + (note == null ? 0 : Tokens.estimate("\n\n" + note))
        + 2 * MESSAGE_OVERHEAD;
  }

  /** Tokens of the heading the first item of {@code source} brings (none for messages). */
  public int heading(ContextSource source, boolean first) {
    return counted && first && source != ContextSource.IMMEDIATE
        ? Tokens.estimate(heading(source))
        : 0;
  }

  /** Tokens of {@code item} as rendered: a bullet line, or a chat message of its own. */
  public int item(ContextItem item) {
    if (!counted) {
      return item.tokens();
    }
    return item.source() == ContextSource.IMMEDIATE
        ? item.tokens() + MESSAGE_OVERHEAD
        : Tokens.estimate("\n- " + item.rendered());
  }

  /** Tokens of a hook's instruction as rendered. */
  public int instruction(String instruction) {
    return counted ? Tokens.estimate("\n\n" + instruction) : Tokens.estimate(instruction);
  }
}
