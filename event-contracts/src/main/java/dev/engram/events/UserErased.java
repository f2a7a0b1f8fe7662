package dev.engram.events;

import java.time.Instant;

/**
 * {@code user.erased}: a user asked to be forgotten. Every service deletes all it holds for the
 * envelope's user. Carries counts only, never content.
 */
public record UserErased(Instant erasedAt, long sessionsDeleted, long messagesDeleted)
    implements EventData {}
