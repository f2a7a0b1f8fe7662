package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.api.ProblemException;
import java.time.DateTimeException;
import java.time.ZoneId;

/** The rules every turn request must meet, over REST and WebSocket alike. */
public final class TurnRequests {

  private TurnRequests() {}

  /**
   * The time zone a client names ({@code timeZone}, an IANA id such as {@code Europe/Paris}, or an
   * offset such as {@code +02:00}); null when it names none; 400 for one that does not exist.
   */
  public static ZoneId zone(String timeZone) {
    if (timeZone == null) {
      return null;
    }
    if (timeZone.isBlank() || timeZone.length() > 64) {
      throw ProblemException.invalid("timeZone", "must be an IANA time zone such as Europe/Paris");
    }
    try {
      return ZoneId.of(timeZone.trim());
    } catch (DateTimeException e) {
      throw ProblemException.invalid(
          "timeZone", "'" + timeZone + "' is not a time zone (an IANA id such as Europe/Paris)");
    }
  }

  /** Fails with 400 (missing or blank content) or 413 (longer than {@code maxChars}). */
  public static TurnRequest validate(TurnRequest request, int maxChars) {
    if (request.content() == null) {
      throw ProblemException.invalid("content", "is required");
    }
    if (request.content().isBlank()) {
      throw ProblemException.invalid("content", "must not be blank");
    }
    if (request.content().length() > maxChars) {
      throw ProblemException.tooLarge(
          "content has "
              + request.content().length()
              + " characters; at most "
              + maxChars
              + " are accepted");
    }
    idempotencyKey("clientMessageId", request.clientMessageId());
    return request;
  }

  /** The longest client message id (idempotency key) accepted. */
  public static final int MAX_CLIENT_ID = 128;

  /**
   * A client's id of its message ({@code clientMessageId}, or the {@code Idempotency-Key} header
   * named {@code field}): null when absent; 1 to {@value #MAX_CLIENT_ID} printable ASCII
   * characters, else 400. It is passed on to session-service as the stored message's key.
   */
  public static String idempotencyKey(String field, String id) {
    if (id == null) {
      return null;
    }
    boolean printable = id.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    if (id.isBlank() || id.length() > MAX_CLIENT_ID || !printable) {
      throw ProblemException.invalid(
          field,
          "must be 1 to " + MAX_CLIENT_ID + " printable ASCII characters (a UUID, for example)");
    }
    return id;
  }
}
