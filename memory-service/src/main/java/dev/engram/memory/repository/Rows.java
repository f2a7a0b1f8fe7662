package dev.engram.memory.repository;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Conversions between Java values and the reactive PostgreSQL client's column values. */
final class Rows {

  private Rows() {}

  static OffsetDateTime ts(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }

  static JsonObject json(Map<String, Object> map) {
    return map == null ? new JsonObject() : new JsonObject(map);
  }

  static JsonArray json(List<String> list) {
    return list == null ? null : new JsonArray(List.copyOf(list));
  }

  @SuppressWarnings("unchecked")
  static List<String> strings(JsonArray array) {
    return array == null ? null : (List<String>) (List<?>) array.getList();
  }
}
