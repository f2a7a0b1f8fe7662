package dev.engram.memory;

import dev.engram.events.CloudEvent;
import dev.engram.events.MessageAppended;
import dev.engram.events.MessageRole;
import dev.engram.events.Sources;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** {@code message.appended} events exactly as session-service's outbox publishes them. */
public final class Messages {

  private Messages() {}

  public static CloudEvent<MessageAppended> appended(
      String user, UUID session, long sequence, MessageRole role, String content, Instant at) {
    return appended(user, session, sequence, role, content, at, Map.of());
  }

  public static CloudEvent<MessageAppended> appended(
      String user,
      UUID session,
      long sequence,
      MessageRole role,
      String content,
      Instant at,
      Map<String, Object> metadata) {
    return CloudEvent.of(
        Sources.SESSION_SERVICE,
        user,
        new MessageAppended(session, UUID.randomUUID(), sequence, role, content, metadata, at));
  }
}
