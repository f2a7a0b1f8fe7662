package dev.engram.events;

import java.time.Instant;
import java.util.UUID;

/** {@code session.state-changed}: a lifecycle transition (paused, resumed, completed, archived). */
public record SessionStateChanged(
    UUID sessionId, SessionStatus from, SessionStatus to, Instant changedAt) implements EventData {}
