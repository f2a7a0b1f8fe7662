package dev.engram.memory.model;

import dev.engram.events.MemoryType;
import dev.engram.memory.facts.ExtractedFact;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A memory to store, from a message or a client: what it is, not yet how it is scored.
 *
 * @param sourceEventId the event it came from (deduplication), or null
 * @param context text that precedes it (the previous message of its session), embedded with it
 * @param speaker the author's display name, indexed with the content, or null
 * @param task for PROCEDURAL memories, the task the steps achieve
 * @param fact for SEMANTIC memories added by a client, the fact they state (or null)
 */
public record NewMemory(
    String userId,
    MemoryType type,
    String content,
    UUID sessionId,
    UUID sourceMessageId,
    String sourceEventId,
    String role,
    Long sequence,
    Map<String, Object> metadata,
    Double importance,
    Instant occurredAt,
    String context,
    String speaker,
    String task,
    List<String> steps,
    ExtractedFact fact) {

  /** The text full-text search indexes: the speaker's name (if any) and the content. */
  public String searchText() {
    return speaker == null ? content : speaker + ": " + content;
  }

  /** The text the model embeds: the indexed text, after its context when there is one. */
  public String embeddingText() {
    return embeddingText(context, searchText());
  }

  /** The text the model embeds for a memory's indexed text and its context (or null). */
  public static String embeddingText(String context, String searchText) {
    return context == null || context.isBlank() ? searchText : context + "\n" + searchText;
  }
}
