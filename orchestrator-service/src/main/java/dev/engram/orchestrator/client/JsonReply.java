package dev.engram.orchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A service's answer: status, content type and body (a JSON tree, or {@code null} when empty or not
 * JSON).
 */
public record JsonReply(int status, String contentType, JsonNode body, String raw) {

  public boolean ok() {
    return status >= 200 && status < 300;
  }
}
