package dev.engram.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one exception mapper: every error leaves as RFC 9457 problem+json. */
public class ProblemMapper {

  /** A problem+json response. */
  public static Response response(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    return response(e.problem().at(uri.getPath()));
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e, UriInfo uri) {
    return response(
        Problem.of("unauthorized", "Unauthorized", 401, "A valid bearer token is required")
            .at(uri.getPath()));
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return response(
        Problem.of("forbidden", "Forbidden", 403, "This token may not do that").at(uri.getPath()));
  }

  @ServerExceptionMapper
  public Response malformed(JsonProcessingException e, UriInfo uri) {
    return response(
        Problem.of(
                "malformed-request",
                "Malformed request",
                400,
                "The body is not valid: " + e.getOriginalMessage())
            .at(uri.getPath()));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    String slug =
        switch (status) {
          case 400 -> "malformed-request";
          case 401 -> "unauthorized";
          case 403 -> "forbidden";
          case 404 -> "not-found";
          case 413 -> "payload-too-large";
          default -> status >= 500 ? "unavailable" : "validation";
        };
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "Error"
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    return response(Problem.of(slug, title, status, e.getMessage()).at(uri.getPath()));
  }

  @ServerExceptionMapper(priority = 10000)
  public Response unexpected(Throwable e, UriInfo uri) {
    Log.errorf(e, "unexpected failure on %s", uri.getPath());
    return response(
        Problem.of("internal", "Internal error", 500, "An unexpected error occurred; it was logged")
            .at(uri.getPath()));
  }
}
