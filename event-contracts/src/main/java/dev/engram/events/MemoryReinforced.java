package dev.engram.events;

import java.time.Instant;
import java.util.UUID;

/** {@code memory.reinforced}: a memory was retrieved, repeated or explicitly reinforced. */
public record MemoryReinforced(
    UUID memoryId,
    ReinforcementReason reason,
    double strength,
    long accessCount,
    Instant reinforcedAt)
    implements EventData {}
