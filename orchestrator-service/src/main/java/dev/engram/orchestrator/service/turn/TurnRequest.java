package dev.engram.orchestrator.service.turn;

import java.util.UUID;

/**
 * A turn to run.
 *
 * @param sessionId the session to continue; {@code null} continues the current one or starts one
 * @param clientMessageId the client's id for correlating frames; may be {@code null}
 */
public record TurnRequest(UUID sessionId, String content, String clientMessageId) {}
