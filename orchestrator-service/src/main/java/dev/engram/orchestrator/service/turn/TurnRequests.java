package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.api.ProblemException;

/** The rules every turn request must meet, over REST and WebSocket alike. */
public final class TurnRequests {

  private TurnRequests() {}

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
    if (request.clientMessageId() != null && request.clientMessageId().length() > 128) {
      throw ProblemException.invalid("clientMessageId", "must be at most 128 characters");
    }
    return request;
  }
}
