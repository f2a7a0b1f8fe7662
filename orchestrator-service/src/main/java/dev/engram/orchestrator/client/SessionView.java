package dev.engram.orchestrator.client;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A session as session-service returns it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionView(
    UUID id,
    String userId,
    String title,
    String status,
    List<String> tags,
    Map<String, Object> metadata,
    @JsonAlias("parentId") UUID parentSessionId,
    Instant createdAt,
    Instant updatedAt) {

  public SessionView {
    tags = tags == null ? List.of() : List.copyOf(tags);
    metadata = metadata == null ? Map.of() : metadata;
  }

  public boolean active() {
    return "ACTIVE".equalsIgnoreCase(status);
  }
}
