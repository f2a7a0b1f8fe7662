package dev.engram.memory.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Query parameters parsed with a 400 that names the parameter (JAX-RS would answer 404). */
final class Params {

  private Params() {}

  static <E extends Enum<E>> Set<E> enums(List<String> values, Class<E> type, String field) {
    Set<E> out = EnumSet.noneOf(type);
    if (values == null) {
      return out;
    }
    for (String value : values) {
      for (String part : value.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        try {
          out.add(Enum.valueOf(type, part.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw ApiException.invalid(
              field,
              "unknown value '" + part + "'; one of " + Arrays.toString(type.getEnumConstants()));
        }
      }
    }
    return out;
  }

  static <E extends Enum<E>> E oneEnum(String value, Class<E> type, String field) {
    Set<E> set = enums(value == null ? null : List.of(value), type, field);
    return set.isEmpty() ? null : set.iterator().next();
  }

  static Instant instant(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(
          field, "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z");
    }
  }

  static UUID uuid(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field, "must be a UUID");
    }
  }
}
