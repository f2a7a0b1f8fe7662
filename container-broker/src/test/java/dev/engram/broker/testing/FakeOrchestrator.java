package dev.engram.broker.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the orchestrator processes of pods the Kubernetes mock server cannot run. Each pod
 * gets its own loopback address (127.x.y.z, assigned by {@link FakeKubelet}) and this one server
 * listens on all of them, keeping the orchestrator's internal API state per address: the contract
 * the real orchestrator implements (bind, release, status, checked broker token), plus a WebSocket
 * echo at {@code /ws/chat} (closing on {@code bye}) and its own REST paths ({@code /api/v1/**}
 * answers who it is) for the gateway tests.
 */
public final class FakeOrchestrator {

  private static FakeOrchestrator shared;

  /** One instance's state. */
  public static final class State {
    volatile String userId;
    volatile Instant boundAt;
    volatile Instant lastActivityAt = Instant.now();
    final Instant startedAt = Instant.now();
    final AtomicInteger snapshots = new AtomicInteger();
    final AtomicInteger binds = new AtomicInteger();
    volatile boolean refuseBinds;
    volatile boolean broken;
    volatile boolean down;

    /** Reports activity as of every status call, as an instance its user keeps busy would. */
    volatile boolean busy;

    volatile String webSocketAuthorization;
    volatile String webSocketProtocols;

    /** From now on the internal API answers 500. */
    public void breakDown() {
      broken = true;
    }

    public void activeNow() {
      lastActivityAt = Instant.now();
    }

    public String userId() {
      return userId;
    }

    public int snapshots() {
      return snapshots.get();
    }

    public int binds() {
      return binds.get();
    }

    public void refuseBinds() {
      refuseBinds = true;
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final AtomicInteger rejectedTokens = new AtomicInteger();
  private volatile java.nio.file.Path trustedKey;
  private final int port;

  private FakeOrchestrator() {
    HttpServer server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("0.0.0.0")
                    // what the orchestrator agrees to (quarkus.websockets-next.server.*)
                    .setWebSocketSubProtocols(java.util.List.of("bearer-token-carrier")))
            .requestHandler(this::handle);
    try {
      this.port =
          server
              .listen(0)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .actualPort();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the fake orchestrator", e);
    }
  }

  public static synchronized FakeOrchestrator shared() {
    if (shared == null) {
      shared = new FakeOrchestrator();
    }
    return shared;
  }

  public int port() {
    return port;
  }

  /** The state of the instance at {@code ip} (created on first use). */
  public State at(String ip) {
    return states.computeIfAbsent(ip, k -> new State());
  }

  /** Requests to the internal API whose token was not the broker's. */
  public int rejectedTokens() {
    return rejectedTokens.get();
  }

  private void handle(HttpServerRequest request) {
    State state = at(request.localAddress().host());
    String path = request.path();
    if (path.startsWith("/_fake/")) {
      request.body().onSuccess(body -> control(request, path, body.toString()));
      return;
    }
    if (state.down) {
      request.connection().close();
      return;
    }
    if (path.equals("/q/health/ready")) {
      request.response().end("{\"status\":\"UP\"}");
      return;
    }
    if (path.startsWith("/internal/")) {
      if (state.broken) {
        request.response().setStatusCode(500).end();
        return;
      }
      if (!BrokerTokenCheck.isBroker(request.getHeader("Authorization"), trustedKey)) {
        rejectedTokens.incrementAndGet();
        request.response().setStatusCode(401).end();
        return;
      }
      request
          .body()
          .onSuccess(
              body ->
                  internal(
                      request,
                      state,
                      path,
                      body.length() == 0 ? new JsonObject() : body.toJsonObject()));
      return;
    }
    if ((path.startsWith("/api/v1/") || path.startsWith("/app/") || path.startsWith("/ws/"))
        && refusesCaller(request, state)) {
      return;
    }
    if (path.equals("/ws/chat") && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      state.webSocketAuthorization = request.getHeader("Authorization");
      state.webSocketProtocols = request.getHeader("Sec-WebSocket-Protocol");
      request
          .toWebSocket()
          .onSuccess(
              ws -> {
                // like the real orchestrator's hello: sent the moment the socket opens
                if (request.query() != null && request.query().contains("greet=1")) {
                  ws.writeTextMessage("greeting:" + state.userId);
                }
                ws.textMessageHandler(
                    text -> {
                      state.lastActivityAt = Instant.now();
                      if (text.equals("bye")) {
                        ws.close((short) 1000, "bye");
                      } else {
                        ws.writeTextMessage("echo:" + state.userId + ":" + text);
                      }
                    });
              });
      return;
    }
    if (path.startsWith("/api/v1/") || path.startsWith("/app/")) {
      request
          .response()
          .putHeader("Content-Type", "application/json")
          .end(
              new JsonObject()
                  .put("instance", request.localAddress().host())
                  .put("userId", state.userId)
                  .put("authorization", request.getHeader("Authorization"))
                  .put("path", path)
                  .encode());
      return;
    }
    request.response().setStatusCode(404).end();
  }

  /**
   * Like the orchestrator's guard: 503 while the instance serves nobody, 403 when the token's
   * subject is not its user (the token's signature is the gateway's business here).
   */
  private static boolean refusesCaller(HttpServerRequest request, State state) {
    String user = state.userId;
    if (user == null) {
      request.response().setStatusCode(503).end();
      return true;
    }
    if (!user.equals(subject(request.getHeader("Authorization")))) {
      request.response().setStatusCode(403).end();
      return true;
    }
    return false;
  }

  private static String subject(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return null;
    }
    String[] parts = authorization.substring(7).split("\\.");
    if (parts.length < 2) {
      return null;
    }
    try {
      return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1])))
          .getString("sub");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The test's side door (tests may live in another class loader than this server, so they talk to
   * it over HTTP): trust a verification key, read or change one instance's state.
   */
  private void control(HttpServerRequest request, String path, String body) {
    String[] parts = path.split("/");
    if (path.equals("/_fake/trust")) {
      trustedKey = java.nio.file.Path.of(body);
      request.response().end();
    } else if (path.equals("/_fake/rejected")) {
      request.response().end(String.valueOf(rejectedTokens.get()));
    } else if (parts.length >= 4 && parts[2].equals("state")) {
      State state = at(parts[3]);
      String action = parts.length > 4 ? parts[4] : "";
      switch (action) {
        case "break" -> state.breakDown();
        case "active" -> state.activeNow();
        case "down" -> state.down = true;
        case "busy" -> state.busy = true;
        default -> {}
      }
      json(
          request,
          new JsonObject()
              .put("userId", state.userId)
              .put("snapshots", state.snapshots.get())
              .put("binds", state.binds.get())
              .put("webSocketAuthorization", state.webSocketAuthorization)
              .put("webSocketProtocols", state.webSocketProtocols));
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private synchronized void internal(
      HttpServerRequest request, State state, String path, JsonObject body) {
    switch (path) {
      case "/internal/v1/bind" -> {
        String user = body.getString("userId");
        if (state.refuseBinds || (state.userId != null && !state.userId.equals(user))) {
          request.response().setStatusCode(409).end();
          return;
        }
        if (state.userId == null) {
          state.userId = user;
          state.boundAt = Instant.now();
          state.lastActivityAt = Instant.now();
          state.binds.incrementAndGet();
        }
        json(
            request,
            new JsonObject()
                .put("userId", user)
                .put("boundAt", state.boundAt.toString())
                .put("restored", false));
      }
      case "/internal/v1/release" -> {
        if (state.userId != null) {
          state.snapshots.incrementAndGet();
        }
        state.userId = null;
        state.boundAt = null;
        json(request, new JsonObject().put("state", "UNBOUND"));
      }
      case "/internal/v1/status" ->
          json(
              request,
              new JsonObject()
                  .put("state", state.userId == null ? "UNBOUND" : "BOUND")
                  .put("userId", state.userId)
                  .put("boundAt", state.boundAt == null ? null : state.boundAt.toString())
                  .put(
                      "lastActivityAt",
                      (state.busy ? Instant.now() : state.lastActivityAt).toString())
                  .put("startedAt", state.startedAt.toString())
                  .put("instance", request.localAddress().host()));
      default -> request.response().setStatusCode(404).end();
    }
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}
