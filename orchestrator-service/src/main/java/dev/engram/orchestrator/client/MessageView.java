package dev.engram.orchestrator.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A message as session-service returns it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MessageView(
    UUID id,
    UUID sessionId,
    long sequence,
    String role,
    String content,
    Map<String, Object> metadata,
    Instant createdAt) {

  public MessageView {
    metadata = metadata == null ? Map.of() : metadata;
  }
}
