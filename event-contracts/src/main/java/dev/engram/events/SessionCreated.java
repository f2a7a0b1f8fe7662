package dev.engram.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code session.created}: a user opened a session.
 *
 * @param parentSessionId the session this one continues, or {@code null}
 */
public record SessionCreated(
    UUID sessionId,
    String title,
    List<String> tags,
    Map<String, Object> metadata,
    UUID parentSessionId,
    SessionStatus status,
    Instant createdAt)
    implements EventData {

  public SessionCreated {
    tags = tags == null ? List.of() : List.copyOf(tags);
    metadata = metadata == null ? Map.of() : metadata;
  }
}
