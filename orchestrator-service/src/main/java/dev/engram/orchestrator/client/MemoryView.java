package dev.engram.orchestrator.client;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** A long-term memory as memory-service returns it. */
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
    UUID clusterId,
    Instant occurredAt,
    Instant createdAt) {}
