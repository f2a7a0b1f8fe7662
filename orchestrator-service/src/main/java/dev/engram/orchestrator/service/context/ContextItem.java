package dev.engram.orchestrator.service.context;

import java.time.LocalDate;

/**
 * One piece of context.
 *
 * @param source where it came from
 * @param key stable identity (message, memory or fact id, or a name): two items with the same key
 *     are the same thing, whatever their sources ({@code memory:<id>} both recalled and held in
 *     working memory, {@code message:<id>} both immediate and in working memory)
 * @param role the speaker ({@code user}, {@code assistant}, {@code system}) of an immediate
 *     message, or of the message a long-term memory (also when held in working memory) was made
 *     from; {@code null} otherwise
 * @param text the content
 * @param score how strongly it asks to be included (ranking within its source), 0..1
 * @param why a human-readable reason it was considered
 * @param date the day a memory refers to, shown before its text in the prompt ({@link
 *     #rendered()}); {@code null} for items without one
 * @param copyOf the key of the item this one is a copy of (the {@code message:<id>} a long-term
 *     memory was made from), or {@code null}: the two are duplicates
 */
public record ContextItem(
    ContextSource source,
    String key,
    String role,
    String text,
    double score,
    String why,
    LocalDate date,
    String copyOf) {

  /** An item without a date that copies nothing. */
  public ContextItem(
      ContextSource source, String key, String role, String text, double score, String why) {
    this(source, key, role, text, score, why, null, null);
  }

  /** The item as the prompt shows it: {@code [yyyy-mm-dd] text} when it has a date. */
  public String rendered() {
    return date == null ? text : prefix() + text;
  }

  /** The estimated tokens of this item as the prompt shows it. */
  public int tokens() {
    return Tokens.estimate(rendered());
  }

  /** This item with its text cut so that it shows in about {@code maxTokens} tokens. */
  ContextItem clippedTo(int maxTokens) {
    if (tokens() <= maxTokens) {
      return this;
    }
    // estimate(prefix + text) <= estimate(prefix) + estimate(text): rounding up only adds
    int room = date == null ? maxTokens : Math.max(1, maxTokens - Tokens.estimate(prefix()));
    return new ContextItem(source, key, role, Tokens.clip(text, room), score, why, date, copyOf);
  }

  private String prefix() {
    return "[" + date + "] ";
  }
}
