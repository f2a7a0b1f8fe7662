package dev.engram.memory.model;

import dev.engram.events.MemoryState;
import java.time.Instant;
import java.util.UUID;

/** A memory's new strength trace and state after a reinforcement or a lifecycle step. */
public record TraceUpdate(
    UUID id,
    MemoryState state,
    double strength,
    double stabilityDays,
    Instant reinforcedAt,
    long accessCount,
    Instant lastAccessedAt,
    Instant forgetAt,
    Instant deleteAfter,
    Instant stateChangedAt) {}
