package dev.engram.orchestrator.service.hooks;

import java.util.Map;
import java.util.UUID;

/**
 * A user's message as hooks see it before anything is stored; a hook may return an amended copy.
 *
 * @param metadata stored with the message in session-service
 */
public record IncomingMessage(UUID sessionId, String content, Map<String, Object> metadata) {

  public IncomingMessage {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A copy with different content. */
  public IncomingMessage withContent(String newContent) {
    return new IncomingMessage(sessionId, newContent, metadata);
  }

  /** A copy with one more metadata entry. */
  public IncomingMessage withMetadata(String key, Object value) {
    var more = new java.util.HashMap<>(metadata);
    more.put(key, value);
    return new IncomingMessage(sessionId, content, more);
  }
}
