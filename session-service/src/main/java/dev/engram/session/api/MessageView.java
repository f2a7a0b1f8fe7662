package dev.engram.session.api;

import dev.engram.events.MessageRole;
import dev.engram.session.model.MessageEntity;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A message as the API returns it; {@code sequence} numbers a session's messages from 1, {@code
 * idempotencyKey} is the client's key it was appended with (null when none).
 */
public record MessageView(
    UUID id,
    UUID sessionId,
    long sequence,
    MessageRole role,
    String content,
    Map<String, Object> metadata,
    Instant createdAt,
    String idempotencyKey) {

  public static MessageView of(MessageEntity message) {
    return new MessageView(
        message.id,
        message.sessionId,
        message.sequence,
        message.role,
        message.content,
        message.metadata,
        message.createdAt,
        message.idempotencyKey);
  }
}
