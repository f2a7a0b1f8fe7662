package dev.engram.events;

import java.time.Instant;
import java.util.UUID;

/** {@code memory.consolidated}: a reinforced or salient memory was promoted to CONSOLIDATED. */
public record MemoryConsolidated(UUID memoryId, double strength, Instant consolidatedAt)
    implements EventData {}
