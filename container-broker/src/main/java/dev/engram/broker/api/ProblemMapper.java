package dev.engram.broker.api;

import dev.engram.broker.claim.InstanceCallException;
import dev.engram.broker.claim.PoolExhaustedException;
import dev.engram.broker.claim.ReservedUserException;
import dev.engram.broker.runtime.ClaimConflictException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one exception mapper: every error of the broker's own endpoints is problem+json. */
public class ProblemMapper {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  /** Seconds a client should wait before trying again after a 503. */
  static final String RETRY_AFTER_SECONDS = "2";

  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e, UriInfo uri) {
    return problem("unauthorized", "Unauthorized", 401, "A valid bearer token is required", uri)
        .header("WWW-Authenticate", "Bearer")
        .build();
  }

  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
    return unauthorized(new UnauthorizedException(), uri);
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return problem("forbidden", "Forbidden", 403, "This needs the operator group", uri).build();
  }

  @ServerExceptionMapper
  public Response reserved(ReservedUserException e, UriInfo uri) {
    return problem("reserved-user", "Reserved user", 403, e.getMessage(), uri).build();
  }

  @ServerExceptionMapper
  public Response exhausted(PoolExhaustedException e, UriInfo uri) {
    return problem("unavailable", "No instance available", 503, e.getMessage(), uri)
        .header("Retry-After", RETRY_AFTER_SECONDS)
        .build();
  }

  @ServerExceptionMapper
  public Response instanceFailed(InstanceCallException e, UriInfo uri) {
    LOG.warnf("Claim failed: %s", e.getMessage());
    return problem(
            "unavailable",
            "Instance unavailable",
            503,
            "The instance could not be started or bound; try again",
            uri)
        .header("Retry-After", RETRY_AFTER_SECONDS)
        .build();
  }

  @ServerExceptionMapper
  public Response conflict(ClaimConflictException e, UriInfo uri) {
    return problem(
            "unavailable",
            "Instance unavailable",
            503,
            "Instances changed while claiming one; try again",
            uri)
        .header("Retry-After", RETRY_AFTER_SECONDS)
        .build();
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e, UriInfo uri) {
    return problem("not-found", "Not found", 404, e.getMessage(), uri).build();
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      return unexpected(e, uri);
    }
    String slug =
        switch (status) {
          case 400 -> "malformed-request";
          case 404 -> "not-found";
          case 405 -> "malformed-request";
          case 413 -> "payload-too-large";
          case 415 -> "malformed-request";
          default -> "malformed-request";
        };
    return problem(
            slug, e.getResponse().getStatusInfo().getReasonPhrase(), status, e.getMessage(), uri)
        .build();
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e, UriInfo uri) {
    LOG.error("Unexpected failure", e);
    return problem(
            "unavailable", "Service unavailable", 503, "The broker could not serve this now", uri)
        .header("Retry-After", RETRY_AFTER_SECONDS)
        .build();
  }

  private static Response.ResponseBuilder problem(
      String slug, String title, int status, String detail, UriInfo uri) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(Problem.of(slug, title, status, detail, uri.getPath()));
  }
}
