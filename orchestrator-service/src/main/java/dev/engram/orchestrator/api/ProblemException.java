package dev.engram.orchestrator.api;

import java.util.List;

/** Ends a request (or a turn) with a problem; mapped to problem+json or an {@code error} frame. */
public class ProblemException extends RuntimeException {

  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(problem.detail());
    this.problem = problem;
  }

  public ProblemException(Problem problem, Throwable cause) {
    super(problem.detail(), cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  public int status() {
    return problem.status();
  }

  /** 400 validation with the given field errors. */
  public static ProblemException validation(String detail, List<Problem.FieldError> errors) {
    return new ProblemException(
        Problem.of("validation", "Invalid request", 400, detail).withErrors(errors));
  }

  /** 400 validation about one field. */
  public static ProblemException invalid(String field, String message) {
    return validation(field + ": " + message, List.of(new Problem.FieldError(field, message)));
  }

  /** 400 for a body that is not the JSON it should be. */
  public static ProblemException malformed(String detail) {
    return new ProblemException(Problem.of("malformed-request", "Malformed request", 400, detail));
  }

  /** 404. */
  public static ProblemException notFound(String detail) {
    return new ProblemException(Problem.of("not-found", "Not found", 404, detail));
  }

  /** 409. */
  public static ProblemException conflict(String detail) {
    return new ProblemException(Problem.of("conflict", "Conflict", 409, detail));
  }

  /** 422: a client id (an idempotency key) sent again with another request. */
  public static ProblemException keyReused(String detail) {
    return new ProblemException(
        Problem.of("idempotency-key-reused", "Idempotency key reused", 422, detail));
  }

  /** 403. */
  public static ProblemException forbidden(String detail) {
    return new ProblemException(Problem.of("forbidden", "Forbidden", 403, detail));
  }

  /** 403 for a token of one of the broker's own users ({@link ReservedUsers}). */
  public static ProblemException reservedUser() {
    return new ProblemException(
        Problem.of(
            "reserved-user",
            "Reserved user",
            403,
            "User ids starting with "
                + ReservedUsers.PREFIX
                + " are reserved for the broker and are not served to callers"));
  }

  /** 413. */
  public static ProblemException tooLarge(String detail) {
    return new ProblemException(Problem.of("payload-too-large", "Payload too large", 413, detail));
  }

  /** 503 for a dependency or an instance that cannot serve now. */
  public static ProblemException unavailable(String detail) {
    return new ProblemException(Problem.of("unavailable", "Service unavailable", 503, detail));
  }

  /** 503 for an unbound instance. */
  public static ProblemException unbound() {
    return new ProblemException(
        Problem.of(
            "unavailable",
            "Service unavailable",
            503,
            "This instance is not bound to a user; connect through the gateway"));
  }

  /** 502 for an LLM provider that failed, timed out or whose circuit is open. */
  public static ProblemException provider(String detail, Throwable cause) {
    return new ProblemException(
        Problem.of("provider-unavailable", "LLM provider unavailable", 502, detail), cause);
  }
}
