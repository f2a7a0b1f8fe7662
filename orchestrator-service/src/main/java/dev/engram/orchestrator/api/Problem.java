package dev.engram.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error response and the {@code problem} of every
 * WebSocket {@code error} frame.
 *
 * @param type {@code https://engram.dev/problems/<slug>}
 * @param errors for validation problems, what is wrong with which field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {

  /** The media type of problem documents. */
  public static final String MEDIA_TYPE = "application/problem+json";

  private static final String BASE = "https://engram.dev/problems/";

  /** A problem with the given slug ({@code validation}, {@code not-found}, ...). */
  public static Problem of(String slug, String title, int status, String detail) {
    return new Problem(BASE + slug, title, status, detail, null, null);
  }

  /** A copy naming the request path or frame it is about. */
  public Problem at(String where) {
    return new Problem(type, title, status, detail, where, errors);
  }

  /** A copy listing field errors. */
  public Problem withErrors(List<FieldError> fieldErrors) {
    return new Problem(type, title, status, detail, instance, List.copyOf(fieldErrors));
  }

  /** One invalid field. */
  public record FieldError(String field, String message) {}
}
