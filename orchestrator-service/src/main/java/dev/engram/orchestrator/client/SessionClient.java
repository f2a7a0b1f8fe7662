package dev.engram.orchestrator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.config.OrchestratorConfig;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** session-service's REST API, called with the user's own token. */
@ApplicationScoped
public class SessionClient {

  private static final String SERVICE = "session-service";
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final String IDEMPOTENCY_FIELD = "idempotencyKey";

  /** The problem type of a key repeated with another message (422). */
  public static final String KEY_REUSED = "https://engram.dev/problems/idempotency-key-reused";

  private final ServiceHttp http;
  private final ObjectMapper mapper;
  private final String base;

  @Inject
  public SessionClient(ServiceHttp http, ObjectMapper mapper, OrchestratorConfig config) {
    this(http, mapper, config.services().sessionUrl());
  }

  /** A client of the service at {@code url} (its base URL, as configured). */
  public SessionClient(ServiceHttp http, ObjectMapper mapper, String url) {
    this.http = http;
    this.mapper = mapper;
    this.base = url.replaceAll("/+$", "") + "/api/v1/sessions";
  }

  /** {@code GET /sessions/{id}}. */
  @WithSpan("SessionClient.get")
  public Uni<SessionView> get(UUID id, String bearer) {
    return http.call(SERVICE, HttpMethod.GET, base + "/" + id, bearer, null)
        .map(reply -> read(reply.body(), SessionView.class));
  }

  /** {@code POST /sessions}. */
  @WithSpan("SessionClient.create")
  public Uni<SessionView> create(String title, Map<String, Object> metadata, String bearer) {
    Map<String, Object> body = Map.of("title", title, "tags", List.of(), "metadata", metadata);
    return http.call(SERVICE, HttpMethod.POST, base, bearer, body)
        .map(reply -> read(reply.body(), SessionView.class));
  }

  /** {@code POST /sessions/{id}/{action}} with action pause, resume, complete or archive. */
  @WithSpan("SessionClient.transition")
  public Uni<SessionView> transition(UUID id, String action, String bearer) {
    return http.call(SERVICE, HttpMethod.POST, base + "/" + id + "/" + action, bearer, Map.of())
        .map(reply -> read(reply.body(), SessionView.class));
  }

  /** {@code POST /sessions/{id}/messages}. */
  public Uni<MessageView> append(
      UUID sessionId, String role, String content, Map<String, Object> metadata, String bearer) {
    return append(sessionId, role, content, metadata, null, bearer);
  }

  /**
   * {@code POST /sessions/{id}/messages} with an {@code Idempotency-Key} (none when null): a repeat
   * of the key answers the message stored with it the first time, and stores nothing.
   */
  @WithSpan("SessionClient.append")
  public Uni<MessageView> append(
      UUID sessionId,
      String role,
      String content,
      Map<String, Object> metadata,
      String idempotencyKey,
      String bearer) {
    Map<String, Object> body = Map.of("role", role, "content", content, "metadata", metadata);
    Map<String, String> headers =
        idempotencyKey == null ? Map.of() : Map.of(IDEMPOTENCY_KEY, idempotencyKey);
    String url = base + "/" + sessionId + "/messages";
    return http.call(SERVICE, HttpMethod.POST, url, bearer, body, headers)
        .map(reply -> read(reply.body(), MessageView.class));
  }

  /**
   * The session's message stored with {@code idempotencyKey} among the {@code limit} after sequence
   * {@code after} ({@code GET /sessions/{id}/messages?after=}); null if none is.
   */
  @WithSpan("SessionClient.withKey")
  public Uni<MessageView> withKey(
      UUID sessionId, long after, int limit, String idempotencyKey, String bearer) {
    String url = base + "/" + sessionId + "/messages?after=" + after + "&limit=" + limit;
    return http.call(SERVICE, HttpMethod.GET, url, bearer, null)
        .map(
            reply -> {
              if (reply.body() == null) {
                return null;
              }
              for (JsonNode item : reply.body().path("items")) {
                if (idempotencyKey.equals(item.path(IDEMPOTENCY_FIELD).asText(null))) {
                  return read(item, MessageView.class);
                }
              }
              return null;
            });
  }

  /** {@code GET /sessions/{id}/context?limit=N}: the last messages, oldest first. */
  @WithSpan("SessionClient.context")
  public Uni<List<MessageView>> context(UUID sessionId, int limit, String bearer) {
    String url = base + "/" + sessionId + "/context?limit=" + limit;
    return http.call(SERVICE, HttpMethod.GET, url, bearer, null)
        .map(reply -> readList(reply.body(), "messages", MessageView.class));
  }

  /** {@code GET /sessions?limit=N}: the user's most recent sessions. */
  @WithSpan("SessionClient.list")
  public Uni<List<SessionView>> list(int limit, String bearer) {
    return http.call(SERVICE, HttpMethod.GET, base + "?limit=" + limit, bearer, null)
        .map(reply -> readList(reply.body(), "items", SessionView.class));
  }

  private <T> T read(JsonNode node, Class<T> type) {
    return Json.read(mapper, node, type, SERVICE);
  }

  private <T> List<T> readList(JsonNode node, String field, Class<T> type) {
    return Json.list(mapper, node, field, type, SERVICE);
  }
}
