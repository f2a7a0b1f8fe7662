package dev.engram.orchestrator.service.context;

/**
 * One piece of context.
 *
 * @param source where it came from
 * @param key stable identity (message, memory or fact id, or a name)
 * @param role the speaker ({@code user}, {@code assistant}, {@code system}) of an immediate
 *     message, or of the message a long-term memory (also when held in working memory) was made
 *     from; {@code null} otherwise
 * @param text the content
 * @param score how strongly it asks to be included (ranking within its source), 0..1
 * @param why a human-readable reason it was considered
 */
public record ContextItem(
    ContextSource source, String key, String role, String text, double score, String why) {

  /** The estimated tokens of this item. */
  public int tokens() {
    return Tokens.estimate(text);
  }

  ContextItem withText(String clipped) {
    return new ContextItem(source, key, role, clipped, score, why);
  }
}
