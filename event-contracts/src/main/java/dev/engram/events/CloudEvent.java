package dev.engram.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 envelope (structured JSON mode) around a versioned payload.
 *
 * <p>On the wire the attributes are {@code specversion}, {@code id}, {@code type}, {@code source},
 * {@code time}, {@code datacontenttype}, and the extensions {@code userid} (the user the event
 * belongs to, also the Kafka record key) and {@code dataversion} (the payload version). CloudEvents
 * attribute names are lower-case, hence {@code userid} for {@link #userId()}.
 *
 * @param id unique event id; consumers are idempotent on it
 * @param type the event type, for example {@code message.appended}
 * @param source the producing service, for example {@code /engram/session-service}
 * @param time when the event occurred
 * @param userId the user the event belongs to; {@code null} only for system events such as {@code
 *     pool.resized}
 * @param version the payload version
 * @param data the payload
 */
public record CloudEvent<T extends EventData>(
    String id, String type, String source, Instant time, String userId, int version, T data) {

  /** The CloudEvents specification version this envelope follows. */
  public static final String SPEC_VERSION = "1.0";

  /** The content type of structured-mode CloudEvents, also sent as the record's header. */
  public static final String CONTENT_TYPE = "application/cloudevents+json";

  public CloudEvent {
    requireText(id, "id");
    requireText(type, "type");
    requireText(source, "source");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1");
    }
  }

  /** A new event with a fresh id, stamped now. */
  public static <T extends EventData> CloudEvent<T> of(String source, String userId, T data) {
    return of(UUID.randomUUID().toString(), source, Instant.now(), userId, data);
  }

  /** A new event with the given id and time (for example an outbox row's). */
  public static <T extends EventData> CloudEvent<T> of(
      String id, String source, Instant time, String userId, T data) {
    EventType type = data.eventType();
    return new CloudEvent<>(id, type.typeName(), source, time, userId, type.version(), data);
  }

  /** The catalogue entry of this event. */
  public EventType eventType() {
    return data.eventType();
  }

  /** The topic this event belongs on. */
  public String topic() {
    return eventType().topic();
  }

  /**
   * The Kafka record key: the user id, so that one user's events stay ordered; system events
   * without a user are keyed by their source.
   */
  public String key() {
    return userId != null ? userId : source;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
