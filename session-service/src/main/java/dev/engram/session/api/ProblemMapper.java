package dev.engram.session.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.engram.session.service.ProblemException;
import dev.engram.session.service.ProblemException.FieldError;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders every error as RFC 9457 {@code application/problem+json} with a stable {@code type}:
 * {@code https://engram.dev/problems/<slug>}. Bad input is a 4xx that says what is wrong; only a
 * fault of the service itself is a 500.
 */
public class ProblemMapper {

  static final String PROBLEM_JSON = "application/problem+json";
  static final String TYPE_BASE = "https://engram.dev/problems/";
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    return build(e.status(), e.slug(), e.title(), e.getMessage(), uri, e.errors(), e.extensions());
  }

  @ServerExceptionMapper
  public Response invalid(ConstraintViolationException e, UriInfo uri) {
    List<FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new FieldError(field(v), v.getMessage()))
            .sorted(Comparator.comparing(FieldError::field))
            .toList();
    String detail =
        errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
    return build(400, "validation", "Invalid request", detail, uri, errors, Map.of());
  }

  @ServerExceptionMapper
  public Response malformed(JsonParseException e, UriInfo uri) {
    return build(
        400,
        "malformed-request",
        "Malformed request",
        "The body is not valid JSON: " + e.getOriginalMessage(),
        uri,
        List.of(),
        Map.of());
  }

  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e, UriInfo uri) {
    String message =
        e instanceof InvalidFormatException invalid
            ? "has an unacceptable value '" + invalid.getValue() + "'"
            : e.getTargetType() == null
                ? "has the wrong type"
                : "must be " + describe(e.getTargetType());
    return fieldProblem(e, message, uri);
  }

  @ServerExceptionMapper
  public Response instantiation(ValueInstantiationException e, UriInfo uri) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return fieldProblem(e, cause.getMessage(), uri);
  }

  @ServerExceptionMapper
  public Response mapping(JsonMappingException e, UriInfo uri) {
    return fieldProblem(e, "is not acceptable", uri);
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e, UriInfo uri) {
    return build(
        400,
        "malformed-request",
        "Malformed request",
        "The body cannot be read as JSON",
        uri,
        List.of(),
        Map.of());
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e, UriInfo uri) {
    Response problem =
        build(
            401,
            "unauthorized",
            "Unauthorized",
            "A valid bearer token is required",
            uri,
            List.of(),
            Map.of());
    return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return build(403, "forbidden", "Forbidden", "Not allowed", uri, List.of(), Map.of());
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    if (e.getCause() instanceof ValueInstantiationException cause) {
      return instantiation(cause, uri);
    }
    if (e.getCause() instanceof MismatchedInputException cause) {
      return mismatched(cause, uri);
    }
    if (e.getCause() instanceof JsonParseException cause) {
      return malformed(cause, uri);
    }
    int status = e.getResponse().getStatus();
    String slug =
        switch (status) {
          case 401 -> "unauthorized";
          case 403 -> "forbidden";
          case 404 -> "not-found";
          case 409 -> "conflict";
          case 413 -> "payload-too-large";
          case 429 -> "rate-limited";
          case 503 -> "unavailable";
          default -> status >= 500 ? "internal" : "malformed-request";
        };
    Response.Status known = Response.Status.fromStatusCode(status);
    String title = known != null ? known.getReasonPhrase() : "Error";
    return build(status, slug, title, e.getMessage(), uri, List.of(), Map.of());
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    LOG.error("Unexpected failure on " + uri.getPath(), e);
    return build(
        500,
        "internal",
        "Internal error",
        "The service failed to answer; the failure is logged",
        uri,
        List.of(),
        Map.of());
  }

  private static Response fieldProblem(JsonMappingException e, String message, UriInfo uri) {
    String field = path(e.getPath());
    List<FieldError> errors = List.of(new FieldError(field, message));
    return build(
        400, "validation", "Invalid request", field + " " + message, uri, errors, Map.of());
  }

  static Response build(
      int status,
      String slug,
      String title,
      String detail,
      UriInfo uri,
      List<FieldError> errors,
      Map<String, Object> extensions) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + slug);
    body.put("title", title);
    body.put("status", status);
    if (detail != null) {
      body.put("detail", detail);
    }
    if (uri != null) {
      body.put("instance", uri.getRequestUri().getRawPath());
    }
    if (!errors.isEmpty()) {
      body.put("errors", errors);
    }
    extensions.forEach(body::putIfAbsent);
    return Response.status(status).type(PROBLEM_JSON).entity(body).build();
  }

  private static String path(List<JsonMappingException.Reference> references) {
    if (references.isEmpty()) {
      return "body";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "body" : path.toString();
  }

  /** The path of a violation from the request body's root, e.g. {@code tags[2]}. */
  private static String field(ConstraintViolation<?> violation) {
    List<String> names = new ArrayList<>();
    for (Path.Node node : violation.getPropertyPath()) {
      switch (node.getKind()) {
        case METHOD, PARAMETER -> {}
        case CONTAINER_ELEMENT -> {
          if (!names.isEmpty() && node.getIndex() != null) {
            names.add(names.removeLast() + "[" + node.getIndex() + "]");
          }
        }
        default -> {
          if (node.getName() != null) {
            names.add(node.getName());
          }
        }
      }
    }
    return names.isEmpty() ? "body" : String.join(".", names);
  }

  private static String describe(Class<?> type) {
    if (type == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type.isEnum()) {
      return "one of its allowed values";
    }
    return "a " + type.getSimpleName();
  }
}
