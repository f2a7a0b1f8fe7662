package dev.engram.orchestrator.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code POST /api/v1/memories/search} body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchRequest(
    String query,
    int k,
    List<String> types,
    List<String> states,
    UUID sessionId,
    Instant from,
    Instant to) {}
