package dev.engram.events;

import java.util.Map;
import java.util.UUID;

/**
 * {@code turn.completed}: sizes and latencies of one turn. Never carries content.
 *
 * @param contextItemsBySource how many context items each source contributed, keyed by {@link
 *     TurnContextSource#key()} (every source the producer knows, 0 included; an open set: ignore
 *     keys you do not know)
 * @param firstTokenMillis from the user's message to the first streamed token
 * @param totalMillis from the user's message to the persisted answer
 * @param provider the LLM provider, for example {@code openai} or {@code offline}
 */
public record TurnCompleted(
    UUID sessionId,
    UUID userMessageId,
    UUID assistantMessageId,
    int contextTokens,
    int contextItems,
    Map<String, Integer> contextItemsBySource,
    int responseTokens,
    long firstTokenMillis,
    long totalMillis,
    String provider,
    TurnOutcome outcome)
    implements EventData {

  public TurnCompleted {
    contextItemsBySource =
        contextItemsBySource == null ? Map.of() : Map.copyOf(contextItemsBySource);
  }

  /** How many items {@code source} contributed (0 when the event does not name it). */
  public int itemsFrom(TurnContextSource source) {
    return contextItemsBySource.getOrDefault(source.key(), 0);
  }
}
