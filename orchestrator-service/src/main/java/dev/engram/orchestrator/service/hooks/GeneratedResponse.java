package dev.engram.orchestrator.service.hooks;

import java.util.HashMap;
import java.util.Map;

/**
 * The answer as hooks see it before it is stored; a hook may return an amended copy (the {@code
 * done} frame then carries the amended content, which clients show in place of the streamed text).
 *
 * @param metadata stored with the assistant message in session-service
 */
public record GeneratedResponse(String content, Map<String, Object> metadata) {

  public GeneratedResponse {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A copy with different content. */
  public GeneratedResponse withContent(String newContent) {
    return new GeneratedResponse(newContent, metadata);
  }

  /** A copy with one more metadata entry. */
  public GeneratedResponse withMetadata(String key, Object value) {
    Map<String, Object> more = new HashMap<>(metadata);
    more.put(key, value);
    return new GeneratedResponse(content, more);
  }
}
