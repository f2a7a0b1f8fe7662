package dev.engram.broker.gateway;

import dev.engram.broker.api.Problem;
import dev.engram.broker.claim.ReservedUserException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;

/** The gateway's own answers, as problem+json. */
final class Replies {

  /** Seconds a client should wait after a 503 (an instance is being replaced). */
  static final String RETRY_AFTER_SECONDS = "2";

  private Replies() {}

  static void unauthorized(HttpServerResponse response, String path) {
    response.putHeader("WWW-Authenticate", "Bearer");
    send(
        response,
        Problem.of(
            "unauthorized",
            "Unauthorized",
            401,
            "A valid bearer token (header, access_token parameter or cookie) is required",
            path));
  }

  static void reservedUser(HttpServerResponse response, String path) {
    send(
        response,
        Problem.of(
            "reserved-user", "Reserved user", 403, new ReservedUserException().getMessage(), path));
  }

  static void rateLimited(HttpServerResponse response, String path, long retryAfterMillis) {
    response.putHeader("Retry-After", String.valueOf(Math.max(1, (retryAfterMillis + 999) / 1000)));
    send(
        response,
        Problem.of(
            "rate-limited",
            "Too many requests",
            429,
            "Slow down: the request rate limit was reached",
            path));
  }

  static void unavailable(HttpServerResponse response, String path, String detail) {
    response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
    send(response, Problem.of("unavailable", "Service unavailable", 503, detail, path));
  }

  private static void send(HttpServerResponse response, Problem problem) {
    if (response.headWritten() || response.ended()) {
      response.reset();
      return;
    }
    response
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problem.MEDIA_TYPE)
        .end(Json.encode(problem));
  }
}
