package dev.engram.orchestrator.api;

import java.util.UUID;

/** What a client may send on {@code /ws/chat}. */
public sealed interface InboundFrame {

  /** {@code user_message}: run a turn ({@code timeZone}: the client's, optional). */
  record UserMessage(UUID sessionId, String content, String clientMessageId, String timeZone)
      implements InboundFrame {}

  /** {@code resume}: send me what I missed after {@code lastEventId}. */
  record Resume(String lastEventId) implements InboundFrame {}

  /** {@code ping}: application-level liveness check; answered with {@code pong}. */
  record Ping() implements InboundFrame {}
}
