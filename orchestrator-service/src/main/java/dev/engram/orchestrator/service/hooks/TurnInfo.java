package dev.engram.orchestrator.service.hooks;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The turn a hook is called for. {@link #attributes()} is a scratch map that lives as long as the
 * turn, so that a hook can carry what it noticed in {@code onMessageReceived} to its later calls.
 */
public record TurnInfo(
    UUID turnId,
    String userId,
    UUID sessionId,
    UUID userMessageId,
    Map<String, Object> attributes) {

  public static TurnInfo start(UUID turnId, String userId) {
    return new TurnInfo(turnId, userId, null, null, new ConcurrentHashMap<>());
  }

  /** The same turn once its session and stored message are known. */
  public TurnInfo persisted(UUID session, UUID messageId) {
    return new TurnInfo(turnId, userId, session, messageId, attributes);
  }
}
