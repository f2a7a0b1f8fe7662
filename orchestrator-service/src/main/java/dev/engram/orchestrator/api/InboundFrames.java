package dev.engram.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Parses client frames. Every way a frame can be wrong is a {@link ProblemException}: not JSON or
 * not an object (400 {@code malformed-request}), a frame longer than {@code chat.max-frame-chars}
 * (413 {@code payload-too-large}), a missing or unknown {@code type} or a wrongly typed field (400
 * {@code validation}).
 */
@ApplicationScoped
public class InboundFrames {

  static final List<String> TYPES = List.of("user_message", "resume", "ping");

  private final ObjectMapper mapper;
  private final int maxChars;

  public InboundFrames(ObjectMapper mapper, OrchestratorConfig config) {
    this.mapper = mapper;
    this.maxChars = config.chat().maxFrameChars();
  }

  public InboundFrame parse(String raw) {
    if (raw.length() > maxChars) {
      throw ProblemException.tooLarge(
          "The frame has " + raw.length() + " characters; at most " + maxChars + " are accepted");
    }
    JsonNode node;
    try {
      node = mapper.readTree(raw);
    } catch (JsonProcessingException e) {
      throw ProblemException.malformed("The frame is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ProblemException.malformed("A frame must be a JSON object");
    }
    String type = text(node, "type");
    if (type == null) {
      throw ProblemException.invalid("type", "is required (one of " + TYPES + ")");
    }
    return switch (type) {
      case "user_message" ->
          new InboundFrame.UserMessage(
              uuid(node, "sessionId"),
              text(node, "content"),
              text(node, "clientMessageId"),
              text(node, "timeZone"));
      case "resume" -> {
        String last = text(node, "lastEventId");
        if (last == null) {
          throw ProblemException.invalid("lastEventId", "is required");
        }
        yield new InboundFrame.Resume(last);
      }
      case "ping" -> new InboundFrame.Ping();
      default ->
          throw ProblemException.invalid(
              "type", "unknown frame type '" + type + "' (one of " + TYPES + ")");
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ProblemException.invalid(field, "must be a string");
    }
    return value.asText();
  }

  private static UUID uuid(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid(field, "must be a UUID");
    }
  }
}
