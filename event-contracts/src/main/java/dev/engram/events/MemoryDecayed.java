package dev.engram.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code memory.decayed}: a memory's strength fell below the forgetting threshold; it is deleted
 * when {@code deleteAfter} passes unless it is reinforced before.
 */
public record MemoryDecayed(UUID memoryId, double strength, Instant decayedAt, Instant deleteAfter)
    implements EventData {}
