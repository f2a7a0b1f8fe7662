package dev.engram.memory.model;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stored long-term memory. {@code strength} is the strength at {@code reinforcedAt}; the current
 * strength decays from it (see {@code DecayCurve}).
 */
public record Memory(
    UUID id,
    String userId,
    MemoryType type,
    MemoryState state,
    String content,
    UUID sessionId,
    UUID sourceMessageId,
    String role,
    Long sequence,
    Map<String, Object> metadata,
    Double importance,
    double valence,
    double intensity,
    double salience,
    double strength,
    double stabilityDays,
    long accessCount,
    Instant lastAccessedAt,
    Instant reinforcedAt,
    Instant occurredAt,
    Instant createdAt,
    Instant stateChangedAt,
    Instant deleteAfter,
    UUID clusterId,
    String task,
    List<String> steps,
    int successCount,
    int failureCount) {}
