package dev.engram.orchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.api.Problem;
import dev.engram.orchestrator.api.ProblemException;
import dev.engram.orchestrator.config.OrchestratorConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Map;

/**
 * JSON over HTTP to session-service and memory-service, with the caller's bearer token (token
 * propagation: the services see the user, never the orchestrator). Upstream problems keep their
 * status and type; a service that cannot be reached, times out or fails with 5xx becomes a 503
 * {@code unavailable} problem naming it.
 */
@ApplicationScoped
public class ServiceHttp {

  private final HttpClient client;
  private final ObjectMapper mapper;
  private final long timeoutMillis;

  public ServiceHttp(Vertx vertx, ObjectMapper mapper, OrchestratorConfig config) {
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setConnectTimeout((int) config.services().timeout().toMillis()));
    this.mapper = mapper;
    this.timeoutMillis = config.services().timeout().toMillis();
  }

  /** Calls {@code url} and fails with a {@link ProblemException} unless the status is 2xx. */
  public Uni<JsonReply> call(
      String service, HttpMethod method, String url, String bearer, Object body) {
    return call(service, method, url, bearer, body, Map.of());
  }

  /** {@link #call(String, HttpMethod, String, String, Object)} with more request headers. */
  public Uni<JsonReply> call(
      String service,
      HttpMethod method,
      String url,
      String bearer,
      Object body,
      Map<String, String> headers) {
    return exchange(service, method, url, bearer, body, headers)
        .invoke(
            reply -> {
              if (!reply.ok()) {
                throw upstreamProblem(service, reply);
              }
            });
  }

  /** Calls {@code url} and returns whatever status came back (for pass-through). */
  public Uni<JsonReply> exchange(
      String service, HttpMethod method, String url, String bearer, Object body) {
    return exchange(service, method, url, bearer, body, Map.of());
  }

  /** {@link #exchange(String, HttpMethod, String, String, Object)} with more request headers. */
  public Uni<JsonReply> exchange(
      String service,
      HttpMethod method,
      String url,
      String bearer,
      Object body,
      Map<String, String> headers) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(url)
            .setIdleTimeout(timeoutMillis)
            .putHeader("Accept", "application/json, application/problem+json");
    headers.forEach(options::putHeader);
    if (bearer != null) {
      options.putHeader("Authorization", "Bearer " + bearer);
    }
    Buffer payload = body == null ? null : encode(body);
    if (payload != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return client
        .request(options)
        .flatMap(request -> payload == null ? request.send() : request.send(payload))
        .flatMap(response -> response.body().map(buffer -> reply(response, buffer)))
        .onFailure(failure -> !(failure instanceof ProblemException))
        .transform(
            failure ->
                new ProblemException(
                    Problem.of(
                        "unavailable",
                        "Service unavailable",
                        503,
                        service + " cannot be reached: " + failure.getMessage()),
                    failure));
  }

  private JsonReply reply(HttpClientResponse response, Buffer buffer) {
    String type = response.getHeader("Content-Type");
    String raw = buffer.toString();
    JsonNode node = null;
    if (!raw.isBlank() && type != null && type.contains("json")) {
      try {
        node = mapper.readTree(raw);
      } catch (IOException e) {
        node = null;
      }
    }
    return new JsonReply(response.statusCode(), type, node, raw);
  }

  private Buffer encode(Object body) {
    try {
      return Buffer.buffer(mapper.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode request body", e);
    }
  }

  private static ProblemException upstreamProblem(String service, JsonReply reply) {
    if (reply.status() >= 500 || reply.status() == 429) {
      return ProblemException.unavailable(service + " answered " + reply.status());
    }
    JsonNode body = reply.body();
    if (body != null && body.hasNonNull("type") && body.hasNonNull("title")) {
      return new ProblemException(
          new Problem(
              body.get("type").asText(),
              body.get("title").asText(),
              reply.status(),
              body.path("detail").asText(null),
              null,
              null));
    }
    String slug =
        switch (reply.status()) {
          case 401 -> "unauthorized";
          case 403 -> "forbidden";
          case 404 -> "not-found";
          case 409 -> "conflict";
          case 413 -> "payload-too-large";
          default -> "validation";
        };
    return new ProblemException(
        Problem.of(
            slug,
            "Rejected by " + service,
            reply.status(),
            service + " answered " + reply.status()));
  }
}
