package dev.engram.memory.model;

import dev.engram.events.FactCategory;
import java.time.Instant;
import java.util.UUID;

/** A semantic fact; current while {@code validTo} is null. */
public record Fact(
    UUID id,
    String userId,
    UUID memoryId,
    FactCategory category,
    String subject,
    String predicate,
    String object,
    String slot,
    double confidence,
    int confirmations,
    UUID sourceMessageId,
    Instant validFrom,
    Instant validTo,
    UUID supersededBy,
    Instant createdAt,
    Instant updatedAt) {}
