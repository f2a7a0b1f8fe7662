package dev.engram.broker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem document; {@code type} is {@code https://engram.dev/problems/<slug>}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(String slug, String title, int status, String detail, String path) {
    return new Problem("https://engram.dev/problems/" + slug, title, status, detail, path);
  }

  public Response toResponse() {
    return Response.status(status).type(MEDIA_TYPE).entity(this).build();
  }
}
