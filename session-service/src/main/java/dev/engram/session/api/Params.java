package dev.engram.session.api;

import dev.engram.events.SessionStatus;
import dev.engram.session.repository.SessionRepository.Position;
import dev.engram.session.service.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * Parses path and query parameters, answering 400 (or 404 for an id that cannot exist) with a
 * problem that names the parameter, rather than the framework's defaults.
 */
final class Params {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Params() {}

  /** A session id from the path; one that is not a UUID names no session: 404. */
  static UUID sessionId(String raw) {
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("No session " + raw);
    }
  }

  /** The longest {@code Idempotency-Key} accepted. */
  static final int MAX_IDEMPOTENCY_KEY = 255;

  /**
   * An {@code Idempotency-Key} header: null when absent; 1 to {@value #MAX_IDEMPOTENCY_KEY}
   * printable ASCII characters (such as a UUID), else 400.
   */
  static String idempotencyKey(String raw) {
    if (raw == null) {
      return null;
    }
    boolean printable = raw.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    if (raw.isBlank() || raw.length() > MAX_IDEMPOTENCY_KEY || !printable) {
      throw ProblemException.invalid(
          "Idempotency-Key",
          "must be 1 to " + MAX_IDEMPOTENCY_KEY + " printable ASCII characters, such as a UUID");
    }
    return raw;
  }

  /** A page size between 1 and {@code max}, {@code fallback} when absent. */
  static int limit(String raw, int fallback, int max) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.invalid("limit", "must be an integer from 1 to " + max);
  }

  /** A sequence number (0 or more), 0 when absent. */
  static long after(String raw) {
    if (raw == null || raw.isBlank()) {
      return 0;
    }
    try {
      long after = Long.parseLong(raw.trim());
      if (after >= 0) {
        return after;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.invalid("after", "must be a message sequence number (0 or more)");
  }

  /** A status filter, or null when absent. */
  static SessionStatus status(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return SessionStatus.valueOf(raw.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid(
          "status", "must be one of " + Arrays.toString(SessionStatus.values()));
    }
  }

  /** The cursor after the last session of a page. */
  static String sessionCursor(Instant createdAt, UUID id) {
    return encode("s:" + createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id);
  }

  /** The position a session cursor stands for, or null when absent. */
  static Position sessionPosition(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      String[] parts = decode(cursor).split(":");
      if (parts.length == 4 && parts[0].equals("s")) {
        return new Position(
            Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])),
            UUID.fromString(parts[3]));
      }
    } catch (RuntimeException e) {
      // answered below
    }
    throw badCursor();
  }

  /** The cursor after a message. */
  static String messageCursor(long sequence) {
    return encode("m:" + sequence);
  }

  /**
   * Where a message listing starts: after the cursor's message when a cursor is given, otherwise
   * after the {@code after} sequence.
   */
  static long messagePosition(String cursor, String after) {
    if (cursor == null || cursor.isBlank()) {
      return after(after);
    }
    try {
      String decoded = decode(cursor);
      if (decoded.startsWith("m:")) {
        long sequence = Long.parseLong(decoded.substring(2));
        if (sequence >= 0) {
          return sequence;
        }
      }
    } catch (RuntimeException e) {
      // answered below
    }
    throw badCursor();
  }

  private static ProblemException badCursor() {
    return ProblemException.invalid("cursor", "is not a cursor this listing returned");
  }

  private static String encode(String value) {
    return ENCODER.encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    return new String(DECODER.decode(cursor.trim()), StandardCharsets.UTF_8);
  }
}
