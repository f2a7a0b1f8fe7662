package dev.engram.memory.api;

import java.util.List;

/** A client error answered as RFC 9457 problem+json by {@link ProblemMapper}. */
public class ApiException extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;
  private final List<Problem.FieldError> errors;

  public ApiException(
      int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = errors;
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not-found", "Not found", what + " does not exist", null);
  }

  public static ApiException invalid(String field, String message) {
    return new ApiException(
        400,
        "validation",
        "Invalid request",
        field + ": " + message,
        List.of(new Problem.FieldError(field, message)));
  }

  public static ApiException tooLarge(String detail) {
    return new ApiException(413, "payload-too-large", "Payload too large", detail, null);
  }

  public Problem toProblem(String instance) {
    return new Problem(Problem.TYPE_BASE + slug, title, status, getMessage(), instance, errors);
  }

  public int status() {
    return status;
  }
}
