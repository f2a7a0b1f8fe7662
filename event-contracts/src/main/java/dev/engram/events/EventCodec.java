package dev.engram.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads and writes {@link CloudEvent}s as structured-mode CloudEvents JSON. Thread-safe; one
 * instance can serve a whole service.
 *
 * <p>Decoding is tolerant of what a newer producer may add (unknown payload fields are ignored) and
 * strict about what a consumer cannot interpret: an unknown type, a payload version newer than this
 * catalogue, or a malformed envelope throw {@link EventDecodingException}, which a consumer logs
 * and skips rather than retrying forever.
 */
public final class EventCodec {

  private final ObjectMapper mapper;

  public EventCodec() {
    this.mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
  }

  /** The mapper used for payloads; shared so that services serialise payloads identically. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** The envelope as a JSON tree. */
  public ObjectNode toTree(CloudEvent<?> event) {
    ObjectNode node = mapper.createObjectNode();
    node.put("specversion", CloudEvent.SPEC_VERSION);
    node.put("id", event.id());
    node.put("type", event.type());
    node.put("source", event.source());
    node.put("time", event.time().toString());
    node.put("datacontenttype", "application/json");
    if (event.userId() != null) {
      node.put("userid", event.userId());
    }
    node.put("dataversion", event.version());
    node.set("data", mapper.valueToTree(event.data()));
    return node;
  }

  /** The envelope as UTF-8 JSON bytes, the value of a Kafka record. */
  public byte[] encode(CloudEvent<?> event) {
    try {
      return mapper.writeValueAsBytes(toTree(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise event " + event.id(), e);
    }
  }

  /** The envelope as a JSON string. */
  public String encodeToString(CloudEvent<?> event) {
    try {
      return mapper.writeValueAsString(toTree(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise event " + event.id(), e);
    }
  }

  /** Parses an envelope and its payload. */
  public CloudEvent<EventData> decode(byte[] json) {
    try {
      return fromTree(mapper.readTree(json));
    } catch (IOException e) {
      throw new EventDecodingException("Not a JSON CloudEvent: " + e.getMessage(), e);
    }
  }

  /** Parses an envelope and its payload. */
  public CloudEvent<EventData> decode(String json) {
    try {
      return fromTree(mapper.readTree(json));
    } catch (IOException e) {
      throw new EventDecodingException("Not a JSON CloudEvent: " + e.getMessage(), e);
    }
  }

  /** Parses an envelope given as a JSON tree. */
  public CloudEvent<EventData> fromTree(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new EventDecodingException("A CloudEvent must be a JSON object");
    }
    String specVersion = text(node, "specversion");
    if (!CloudEvent.SPEC_VERSION.equals(specVersion)) {
      throw new EventDecodingException("Unsupported specversion: " + specVersion);
    }
    String typeName = text(node, "type");
    EventType type =
        EventType.byName(typeName)
            .orElseThrow(() -> new EventDecodingException("Unknown event type: " + typeName));
    int version = node.path("dataversion").asInt(1);
    if (version > type.version()) {
      throw new EventDecodingException(
          "Event " + typeName + " has version " + version + ", newest known is " + type.version());
    }
    JsonNode data = node.get("data");
    if (data == null || !data.isObject()) {
      throw new EventDecodingException("Event " + typeName + " has no data object");
    }
    try {
      EventData payload = mapper.treeToValue(data, type.dataClass());
      return new CloudEvent<>(
          text(node, "id"),
          typeName,
          text(node, "source"),
          Instant.parse(text(node, "time")),
          node.hasNonNull("userid") ? node.get("userid").asText() : null,
          version,
          payload);
    } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
      throw new EventDecodingException("Malformed " + typeName + " event: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new EventDecodingException("CloudEvent attribute '" + field + "' is missing");
    }
    return value.asText();
  }
}
