package dev.engram.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * {@code message.appended}: a message was added to a session. The only event that carries
 * conversation content; memory-service turns it into episodic memory and facts.
 *
 * @param sequence the message's position in its session, from 1
 */
public record MessageAppended(
    UUID sessionId,
    UUID messageId,
    long sequence,
    MessageRole role,
    String content,
    Map<String, Object> metadata,
    Instant createdAt)
    implements EventData {

  public MessageAppended {
    metadata = metadata == null ? Map.of() : metadata;
  }
}
