package dev.engram.orchestrator.client;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * A long-term memory as memory-service returns it; {@code role} is the speaker ({@code user},
 * {@code assistant}) of the message an episodic memory was made from, null for other memories.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemoryView(
    UUID id,
    @JsonAlias({"memoryType"}) String type,
    String content,
    String state,
    double strength,
    double salience,
    UUID sessionId,
    UUID sourceMessageId,
    String role,
    UUID clusterId,
    Instant occurredAt,
    Instant createdAt) {}
