package dev.engram.session.service;

import java.util.List;
import java.util.Map;

/**
 * A refusal the client can act on, rendered as RFC 9457 problem+json by the API's exception mapper:
 * a status, a stable problem type slug, and a detail that says what is wrong.
 */
public class ProblemException extends RuntimeException {

  /** One offending field of a request. */
  public record FieldError(String field, String message) {}

  private final int status;
  private final String slug;
  private final String title;
  private final Map<String, Object> extensions;
  private final List<FieldError> errors;

  private ProblemException(
      int status,
      String slug,
      String title,
      String detail,
      Map<String, Object> extensions,
      List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.extensions = extensions;
    this.errors = errors;
  }

  /** 404: the resource does not exist, or belongs to another user. */
  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "not-found", "Not found", detail, Map.of(), List.of());
  }

  /** 409: the request conflicts with the resource's current state. */
  public static ProblemException conflict(String detail, Map<String, Object> extensions) {
    return new ProblemException(409, "conflict", "Conflict", detail, extensions, List.of());
  }

  /** 422: the request is well-formed but cannot be carried out as it stands. */
  public static ProblemException unprocessable(
      String slug, String title, String detail, Map<String, Object> extensions) {
    return new ProblemException(422, slug, title, detail, extensions, List.of());
  }

  /** 413: part of the request is larger than allowed. */
  public static ProblemException tooLarge(String detail, Map<String, Object> extensions) {
    return new ProblemException(
        413, "payload-too-large", "Payload too large", detail, extensions, List.of());
  }

  /** 400: a field of the request is invalid. */
  public static ProblemException invalid(String field, String message) {
    return new ProblemException(
        400,
        "validation",
        "Invalid request",
        field + ": " + message,
        Map.of(),
        List.of(new FieldError(field, message)));
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  /** Extra members of the problem document, such as the session's current status. */
  public Map<String, Object> extensions() {
    return extensions;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
