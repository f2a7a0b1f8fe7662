package dev.engram.events;

import java.time.Instant;
import java.util.UUID;

/** {@code session.linked}: a session now continues {@code parentSessionId}. */
public record SessionLinked(UUID sessionId, UUID parentSessionId, Instant linkedAt)
    implements EventData {}
