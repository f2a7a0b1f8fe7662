package dev.engram.session.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.session.config.SessionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The configurable size bounds of what clients store: message content and metadata. */
@ApplicationScoped
public class InputLimits {

  private final ObjectMapper mapper;
  private final SessionConfig.Limits limits;

  public InputLimits(ObjectMapper mapper, SessionConfig config) {
    this.mapper = mapper;
    this.limits = config.limits();
  }

  /** Refuses content larger than the bound with 413. */
  public void checkContent(String content) {
    int bytes = content.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.maxContentBytes()) {
      throw ProblemException.tooLarge(
          "Message content is "
              + bytes
              + " bytes; the limit is "
              + limits.maxContentBytes()
              + " bytes (UTF-8)",
          Map.of("limit", limits.maxContentBytes(), "size", bytes));
    }
  }

  /** Refuses a metadata object whose JSON is larger than the bound with 413; returns the JSON. */
  public String checkMetadata(Map<String, Object> metadata) {
    if (metadata == null || metadata.isEmpty()) {
      return "{}";
    }
    byte[] json;
    try {
      json = mapper.writeValueAsBytes(metadata);
    } catch (JsonProcessingException e) {
      throw ProblemException.invalid("metadata", "is not serialisable as JSON");
    }
    if (json.length > limits.maxMetadataBytes()) {
      throw ProblemException.tooLarge(
          "metadata is "
              + json.length
              + " bytes of JSON; the limit is "
              + limits.maxMetadataBytes(),
          Map.of("limit", limits.maxMetadataBytes(), "size", json.length));
    }
    return new String(json, StandardCharsets.UTF_8);
  }
}
