package dev.engram.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code fact.extracted}: a semantic fact (subject, predicate, object) was learnt or confirmed.
 *
 * @param confidence 0..1
 * @param sourceMessageId the message it was extracted from, or {@code null}
 * @param supersededFactId the older contradicting fact this one closed, or {@code null}
 */
public record FactExtracted(
    UUID factId,
    UUID memoryId,
    FactCategory category,
    String subject,
    String predicate,
    String object,
    double confidence,
    UUID sourceMessageId,
    UUID supersededFactId,
    Instant validFrom)
    implements EventData {}
