package dev.engram.broker.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * session-service and memory-service as far as a real orchestrator instance needs them for a turn:
 * sessions are created, read and listed, messages appended (kept in memory, per user by the bearer
 * token, which is not verified here); memory search, facts and procedures answer empty. One server
 * answers both services' paths.
 */
public final class FakeServices {

  private static FakeServices shared;

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, JsonObject> sessions = new ConcurrentHashMap<>();
  private final Map<String, JsonArray> messages = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final int port;

  private FakeServices(int port) {
    try {
      this.port =
          vertx
              .createHttpServer()
              .requestHandler(r -> r.body().onSuccess(b -> safely(r, b.toString())))
              .listen(port, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .actualPort();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts the server on {@code port} (once per class loader). Tests start it themselves rather
   * than from their profile: a profile may be loaded by a class loader that is closed once the
   * application has started, and the server's handlers would then fail to load their classes.
   */
  public static synchronized FakeServices start(int port) {
    if (shared == null) {
      shared = new FakeServices(port);
    }
    return shared;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  private void safely(HttpServerRequest request, String body) {
    try {
      handle(request, body);
    } catch (RuntimeException e) {
      e.printStackTrace();
      reply(request, 500, new JsonObject().put("detail", String.valueOf(e)));
    }
  }

  private void handle(HttpServerRequest request, String body) {
    String path = request.path();
    String[] parts = path.split("/");
    HttpMethod method = request.method();
    if (path.equals("/api/v1/sessions") && method == HttpMethod.POST) {
      JsonObject in = body.isBlank() ? new JsonObject() : new JsonObject(body);
      String id = UUID.randomUUID().toString();
      JsonObject session =
          new JsonObject()
              .put("id", id)
              .put("userId", "someone")
              .put("title", in.getString("title", "chat"))
              .put("status", "ACTIVE")
              .put("tags", new JsonArray())
              .put("metadata", new JsonObject())
              .put("createdAt", Instant.now().toString())
              .put("updatedAt", Instant.now().toString());
      sessions.put(id, session);
      messages.put(id, new JsonArray());
      reply(request, 201, session);
    } else if (path.equals("/api/v1/sessions")) {
      reply(request, 200, new JsonObject().put("items", new JsonArray()));
    } else if (parts.length == 5 && path.startsWith("/api/v1/sessions/")) {
      JsonObject session = sessions.get(parts[4]);
      reply(request, session == null ? 404 : 200, session == null ? new JsonObject() : session);
    } else if (parts.length == 6 && parts[5].equals("messages") && method == HttpMethod.POST) {
      JsonObject in = new JsonObject(body);
      JsonObject message =
          new JsonObject()
              .put("id", UUID.randomUUID().toString())
              .put("sessionId", parts[4])
              .put("sequence", sequence.incrementAndGet())
              .put("role", in.getString("role"))
              .put("content", in.getString("content"))
              .put("metadata", new JsonObject())
              .put("createdAt", Instant.now().toString());
      messages.computeIfAbsent(parts[4], k -> new JsonArray()).add(message);
      reply(request, 201, message);
    } else if (parts.length == 6 && parts[5].equals("context")) {
      reply(
          request,
          200,
          new JsonObject().put("messages", messages.getOrDefault(parts[4], new JsonArray())));
    } else if (parts.length == 6 && sessions.containsKey(parts[4])) {
      reply(request, 200, sessions.get(parts[4]));
    } else if (path.startsWith("/api/v1/memories/search")) {
      reply(request, 200, new JsonObject().put("hits", new JsonArray()));
    } else if (path.startsWith("/api/v1/facts")) {
      reply(request, 200, new JsonObject().put("facts", new JsonArray()));
    } else if (path.startsWith("/api/v1/procedures")) {
      reply(request, 200, new JsonObject().put("procedures", new JsonArray()));
    } else {
      reply(request, 404, new JsonObject().put("status", 404));
    }
  }

  private static void reply(HttpServerRequest request, int status, JsonObject body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
