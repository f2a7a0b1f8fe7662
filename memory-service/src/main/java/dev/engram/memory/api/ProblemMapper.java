package dev.engram.memory.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the service as RFC 9457 {@code application/problem+json}. */
public class ProblemMapper {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @ServerExceptionMapper
  public Response api(ApiException e, UriInfo uri) {
    return respond(e.toProblem(uri.getPath()));
  }

  @ServerExceptionMapper
  public Response validation(ConstraintViolationException e, UriInfo uri) {
    List<Problem.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.FieldError(field(v), v.getMessage()))
            .sorted(java.util.Comparator.comparing(Problem.FieldError::field))
            .toList();
    String detail =
        errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
    return respond(
        new Problem(
            Problem.TYPE_BASE + "validation",
            "Invalid request",
            400,
            detail,
            uri.getPath(),
            errors));
  }

  @ServerExceptionMapper({
    JsonProcessingException.class,
    com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
    com.fasterxml.jackson.databind.exc.InvalidFormatException.class,
    com.fasterxml.jackson.core.JsonParseException.class
  })
  public Response json(JsonProcessingException e, UriInfo uri) {
    String field =
        e instanceof JsonMappingException m
            ? m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
            : null;
    String detail = e.getOriginalMessage();
    if (detail != null && detail.length() > 300) {
      detail = detail.substring(0, 300);
    }
    List<Problem.FieldError> errors =
        field == null || field.isEmpty() ? null : List.of(new Problem.FieldError(field, detail));
    return respond(
        new Problem(
            Problem.TYPE_BASE + "malformed-request",
            "Malformed request",
            400,
            field == null || field.isEmpty() ? detail : field + ": " + detail,
            uri.getPath(),
            errors));
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e, UriInfo uri) {
    return Response.status(401)
        .header("WWW-Authenticate", "Bearer")
        .type(Problem.MEDIA_TYPE)
        .entity(
            new Problem(
                Problem.TYPE_BASE + "unauthorized",
                "Unauthorized",
                401,
                "A valid bearer token is required",
                uri.getPath(),
                null))
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return respond(
        new Problem(
            Problem.TYPE_BASE + "forbidden",
            "Forbidden",
            403,
            "The token does not allow this",
            uri.getPath(),
            null));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    if (e.getCause() instanceof JsonProcessingException json) {
      return json(json, uri);
    }
    String slug =
        switch (e) {
          case NotFoundException ignored -> "not-found";
          case NotAllowedException ignored -> "method-not-allowed";
          case NotSupportedException ignored -> "unsupported-media-type";
          default ->
              status == 413
                  ? "payload-too-large"
                  : status >= 500 ? "unavailable" : "malformed-request";
        };
    return respond(
        new Problem(
            Problem.TYPE_BASE + slug,
            e.getResponse().getStatusInfo().getReasonPhrase(),
            status,
            e.getMessage(),
            uri.getPath(),
            null));
  }

  /**
   * A dependency that could not be reached (PostgreSQL, Redis, a timeout) is a 503 the client may
   * retry; any other failure is the service's own fault, a 500. Both are logged.
   */
  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    if (Unavailability.isTransient(e)) {
      LOG.warnf(e, "Dependency unavailable on %s", uri.getPath());
      return Response.fromResponse(
              respond(
                  new Problem(
                      Problem.TYPE_BASE + "unavailable",
                      "Service unavailable",
                      503,
                      "A store the service depends on is unavailable; try again",
                      uri.getPath(),
                      null)))
          .header("Retry-After", "5")
          .build();
    }
    LOG.errorf(e, "Unexpected failure on %s", uri.getPath());
    return respond(
        new Problem(
            Problem.TYPE_BASE + "internal",
            "Internal error",
            500,
            "The service failed to answer; the failure is logged",
            uri.getPath(),
            null));
  }

  private static Response respond(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }

  private static String field(ConstraintViolation<?> v) {
    String path = v.getPropertyPath().toString();
    // method.arg.field -> field
    String[] parts = path.split("\\.");
    return parts.length > 2
        ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length))
        : path;
  }
}
