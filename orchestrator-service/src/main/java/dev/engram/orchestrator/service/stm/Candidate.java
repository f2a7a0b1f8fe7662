package dev.engram.orchestrator.service.stm;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Something that asks for attention this turn: the user's message, or a long-term memory recalled
 * for it.
 *
 * @param key stable identity in the working set ({@code message:<id>} or {@code memory:<id>})
 * @param kind what it is
 * @param text its content
 * @param memoryId the long-term memory it is, if any (reinforced when rehearsed)
 * @param occurredAt when the thing it refers to happened
 * @param prior an outside relevance estimate (the search score of a recalled memory), 0..1, or
 *     negative when there is none
 * @param attributes extra facts shown with the item (memory type, score parts)
 */
public record Candidate(
    String key,
    ItemKind kind,
    String text,
    UUID memoryId,
    Instant occurredAt,
    double prior,
    Map<String, Object> attributes) {

  public Candidate {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** The user's message of this turn. */
  public static Candidate message(UUID messageId, String text, Instant at) {
    return new Candidate("message:" + messageId, ItemKind.MESSAGE, text, null, at, -1, Map.of());
  }

  /** A long-term memory recalled for this turn. */
  public static Candidate memory(
      UUID memoryId, String text, Instant occurredAt, double score, Map<String, Object> attrs) {
    return new Candidate(
        "memory:" + memoryId, ItemKind.MEMORY, text, memoryId, occurredAt, score, attrs);
  }
}
