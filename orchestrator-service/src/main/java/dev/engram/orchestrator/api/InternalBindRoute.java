package dev.engram.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.service.binding.BindingService;
import io.quarkus.logging.Log;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code POST /internal/v1/bind} as a plain Vert.x route: a claim waits for this call, and
 * RESTEasy's handler chain, Jackson's data binding and the security identity pipeline cost a primed
 * instance about as much CPU as the bind itself. The rest of the internal API stays in {@link
 * InternalResource}.
 *
 * <p>Authenticated exactly as the JAX-RS endpoints with {@code @RolesAllowed(engram-broker)}: the
 * bearer token of the {@code Authorization} header, verified by the application's {@link JWTParser}
 * (the one the JWT mechanism uses: signature, issuer, expiry), whose groups must hold {@value
 * InternalResource#BROKER_GROUP}: else 401 (no or invalid token) or 403 problem+json, before the
 * body is read. Then the same checks and answers as before: 400 for a malformed or invalid body,
 * 409 when bound to another user, 503 when Redis cannot be read.
 */
@ApplicationScoped
public class InternalBindRoute {

  static final String PATH = "/internal/v1/bind";

  /** A bind's body is two short strings; anything declared larger is refused unread. */
  static final long MAX_BODY_BYTES = 16 * 1024;

  private static final String BEARER = "Bearer ";

  private final JWTParser tokens;
  private final BindingService bindings;
  private final ObjectMapper json;

  public InternalBindRoute(JWTParser tokens, BindingService bindings, ObjectMapper json) {
    this.tokens = tokens;
    this.bindings = bindings;
    this.json = json;
  }

  void routes(@Observes Router router) {
    router.post(PATH).order(-10).handler(this::handle);
  }

  private void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    Problem refused = authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (refused != null) {
      refuse(rc, refused);
      return;
    }
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      refuse(
          rc,
          Problem.of(
              "validation",
              "Unsupported Media Type",
              415,
              "The body must be application/json {userId, claimId}"));
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && tooLong(length)) {
      refuse(rc, ProblemException.tooLarge("A bind's body is at most 16 KiB").problem());
      return;
    }
    if (rc.body().available()) {
      // a body handler of the router read it already
      Buffer read = rc.body().buffer();
      bind(rc.response(), read == null ? Buffer.buffer() : read);
      return;
    }
    request
        .body()
        .onSuccess(body -> bind(rc.response(), body))
        .onFailure(
            e -> problem(rc.response(), ProblemException.malformed(e.getMessage()).problem()));
    request.resume();
  }

  /**
   * Answers before the body is read: the request (which Quarkus paused for its routes) resumes, so
   * that what is left of the body is read and dropped and the connection serves the next request.
   */
  private void refuse(RoutingContext rc, Problem problem) {
    problem(rc.response(), problem);
    if (!rc.request().isEnded()) {
      rc.request().resume();
    }
  }

  /** Null when the caller is the broker; else the 401 or 403 problem to answer. */
  private Problem authenticate(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return unauthorized();
    }
    JsonWebToken jwt;
    try {
      jwt = tokens.parse(authorization.substring(BEARER.length()).trim());
    } catch (ParseException | RuntimeException e) {
      return unauthorized();
    }
    if (jwt.getGroups() == null || !jwt.getGroups().contains(InternalResource.BROKER_GROUP)) {
      return Problem.of("forbidden", "Forbidden", 403, "This token may not do that");
    }
    return null;
  }

  private static Problem unauthorized() {
    return Problem.of("unauthorized", "Unauthorized", 401, "A valid bearer token is required");
  }

  private static boolean tooLong(String length) {
    try {
      return Long.parseLong(length.trim()) > MAX_BODY_BYTES;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private void bind(HttpServerResponse response, Buffer body) {
    String userId;
    String claimId;
    try {
      Object parsed = body.length() == 0 ? null : Json.decodeValue(body);
      if (!(parsed instanceof JsonObject request)) {
        throw parsed == null
            ? ProblemException.malformed("A JSON body {userId, claimId} is required")
            : ProblemException.malformed("The body is not valid: a JSON object is required");
      }
      userId = text(request, "userId");
      claimId = text(request, "claimId");
      InternalResource.requireUserId(userId);
      InternalResource.requireClaimId(claimId);
    } catch (DecodeException e) {
      problem(
          response,
          ProblemException.malformed("The body is not valid: " + e.getMessage()).problem());
      return;
    } catch (ProblemException e) {
      problem(response, e.problem());
      return;
    }
    bindings
        .bind(userId, claimId)
        .subscribe()
        .with(
            r -> {
              // {userId, boundAt, restored}, the instant as ISO-8601 (as Jackson writes it)
              JsonObject answer =
                  new JsonObject()
                      .put("userId", r.binding().userId())
                      .put("boundAt", r.binding().boundAt().toString())
                      .put("restored", r.restored());
              end(response, 200, "application/json", answer.toBuffer());
            },
            e -> failed(response, e));
  }

  /** A string field as Jackson would bind it to a String (scalars as text), else 400. */
  private static String text(JsonObject request, String field) {
    Object value = request.getValue(field);
    if (value instanceof JsonObject || value instanceof JsonArray) {
      throw ProblemException.malformed("The body is not valid: " + field + " must be a string");
    }
    return value == null ? null : value.toString();
  }

  private void failed(HttpServerResponse response, Throwable e) {
    if (e instanceof ProblemException p) {
      problem(response, p.problem());
      return;
    }
    Log.errorf(e, "unexpected failure on %s", PATH);
    problem(
        response,
        Problem.of(
            "internal", "Internal error", 500, "An unexpected error occurred; it was logged"));
  }

  private void problem(HttpServerResponse response, Problem problem) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(problem.at(PATH));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode a problem", e);
    }
    end(response, problem.status(), Problem.MEDIA_TYPE, Buffer.buffer(bytes));
  }

  private static void end(HttpServerResponse response, int status, String type, Buffer body) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, type).end(body);
  }
}
