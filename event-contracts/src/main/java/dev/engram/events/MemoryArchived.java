package dev.engram.events;

import java.time.Instant;
import java.util.UUID;

/** {@code memory.archived}: an old consolidated memory left default search. */
public record MemoryArchived(UUID memoryId, Instant archivedAt) implements EventData {}
