package dev.engram.session.api;

import dev.engram.events.SessionStatus;
import dev.engram.session.model.SessionEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A session as the API returns it. */
public record SessionView(
    UUID id,
    String userId,
    String title,
    SessionStatus status,
    List<String> tags,
    Map<String, Object> metadata,
    UUID parentSessionId,
    long messageCount,
    Instant createdAt,
    Instant updatedAt) {

  public static SessionView of(SessionEntity session) {
    return new SessionView(
        session.id,
        session.userId,
        session.title,
        session.status,
        List.copyOf(session.tags),
        session.metadata,
        session.parentSessionId,
        session.lastSequence,
        session.createdAt,
        session.updatedAt);
  }
}
