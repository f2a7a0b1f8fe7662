package dev.engram.memory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem document. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {

  public static final String TYPE_BASE = "https://engram.dev/problems/";
  public static final String MEDIA_TYPE = "application/problem+json";

  /** One invalid field. */
  public record FieldError(String field, String message) {}
}
