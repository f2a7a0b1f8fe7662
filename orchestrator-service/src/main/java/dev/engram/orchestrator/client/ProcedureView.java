package dev.engram.orchestrator.client;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A procedural memory: ordered steps for a task, with its track record. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProcedureView(
    @JsonAlias({"memoryId"}) UUID id,
    @JsonAlias({"name", "title"}) String task,
    JsonNode steps,
    long successCount,
    long failureCount,
    double strength) {

  /** The steps as text, whether they came as strings or as objects with a description. */
  public List<String> stepTexts() {
    List<String> out = new ArrayList<>();
    if (steps != null && steps.isArray()) {
      for (JsonNode step : steps) {
        if (step.isTextual()) {
          out.add(step.asText());
        } else {
          out.add(
              step.path("description")
                  .asText(step.path("text").asText(step.path("action").asText(step.toString()))));
        }
      }
    }
    return out;
  }
}
