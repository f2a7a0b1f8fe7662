package dev.engram.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.orchestrator.client.JsonReply;
import dev.engram.orchestrator.client.ServiceHttp;
import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.turn.Caller;
import dev.engram.orchestrator.service.turn.SessionResolver;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Lets the web UI reach session-service and memory-service through its own pod with the user's
 * token, at the same paths the gateway routes to those services, so the UI works the same behind
 * the gateway and against a pod directly. Status and body pass through unchanged; only the bound
 * user may call it.
 */
@Path("/api/v1")
@Authenticated
public class ProxyResource {

  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final ServiceHttp http;
  private final Callers callers;
  private final SecurityIdentity identity;
  private final SessionResolver sessions;
  private final OrchestratorConfig.Services services;

  public ProxyResource(
      ServiceHttp http,
      Callers callers,
      SecurityIdentity identity,
      SessionResolver sessions,
      OrchestratorConfig config) {
    this.http = http;
    this.callers = callers;
    this.identity = identity;
    this.sessions = sessions;
    this.services = config.services();
  }

  @GET
  @Path("/sessions{rest: (/.*)?}")
  @Operation(summary = "session-service, passed through (for the web UI)")
  public Uni<Response> getSessions(@PathParam("rest") String rest, @Context UriInfo uri) {
    return forward("session-service", services.sessionUrl(), HttpMethod.GET, uri, null, Map.of());
  }

  @POST
  @Path("/sessions{rest: (/.*)?}")
  @Operation(summary = "session-service, passed through (for the web UI)")
  public Uni<Response> postSessions(
      @PathParam("rest") String rest,
      @Context UriInfo uri,
      @Context HttpHeaders headers,
      JsonNode body) {
    // A lifecycle change made here may change what the turn pipeline knows about a session.
    sessions.forget(null);
    // a message appended here keeps its idempotency key (its status, 200 or 201, says the rest)
    String key = headers.getHeaderString(IDEMPOTENCY_KEY);
    return forward(
        "session-service",
        services.sessionUrl(),
        HttpMethod.POST,
        uri,
        body,
        key == null ? Map.of() : Map.of(IDEMPOTENCY_KEY, key));
  }

  @GET
  @Path("/{kind: memories|clusters|facts|procedures|analytics}{rest: (/.*)?}")
  @Operation(summary = "memory-service reads, passed through (for the web UI)")
  public Uni<Response> getMemories(
      @PathParam("kind") String kind, @PathParam("rest") String rest, @Context UriInfo uri) {
    return forward("memory-service", services.memoryUrl(), HttpMethod.GET, uri, null, Map.of());
  }

  private Uni<Response> forward(
      String service,
      String base,
      HttpMethod method,
      UriInfo uri,
      JsonNode body,
      Map<String, String> headers) {
    Caller caller = callers.of(identity);
    String query = uri.getRequestUri().getRawQuery();
    String url =
        base.replaceAll("/+$", "")
            + uri.getRequestUri().getRawPath()
            + (query == null ? "" : "?" + query);
    return http.exchange(service, method, url, caller.bearer(), body, headers)
        .map(ProxyResource::response);
  }

  private static Response response(JsonReply reply) {
    Response.ResponseBuilder builder = Response.status(reply.status());
    if (reply.raw() != null && !reply.raw().isEmpty()) {
      builder
          .entity(reply.raw())
          .type(reply.contentType() == null ? "application/json" : reply.contentType());
    }
    return builder.build();
  }
}
