package dev.engram.memory.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** An opaque keyset cursor: the (created_at, id) of the last item of a page. */
record Cursor(Instant createdAt, UUID id) {

  String encode() {
    String raw = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static Cursor decode(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
      return new Cursor(
          Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
          UUID.fromString(parts[2]));
    } catch (RuntimeException e) {
      throw ApiException.invalid("cursor", "is not a cursor this service issued");
    }
  }

  static int limit(Integer limit) {
    int value = limit == null ? 50 : limit;
    if (value < 1 || value > 200) {
      throw ApiException.invalid("limit", "must be between 1 and 200");
    }
    return value;
  }
}
