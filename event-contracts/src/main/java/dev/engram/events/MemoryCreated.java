package dev.engram.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code memory.created}: a long-term memory was stored.
 *
 * @param sessionId the session it came from, or {@code null} for a memory added directly
 * @param sourceMessageId the message it came from, or {@code null}
 * @param salience the attention score at creation, 0..1
 * @param strength the initial strength, 0..1
 * @param clusterId the cluster it joined, or {@code null}
 * @param occurredAt when the remembered thing happened
 */
public record MemoryCreated(
    UUID memoryId,
    MemoryType memoryType,
    String content,
    UUID sessionId,
    UUID sourceMessageId,
    double salience,
    double strength,
    MemoryState state,
    UUID clusterId,
    Instant occurredAt,
    Instant createdAt)
    implements EventData {}
