package dev.engram.broker.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Two real HTTP servers standing in for session-service and memory-service: each answers every
 * request with what it received (service name, method, URI, the Authorization header and body), so
 * a test sees exactly what the gateway forwarded.
 */
public final class FakeUpstreams {

  private static FakeUpstreams shared;

  private final Vertx vertx = Vertx.vertx();
  private final int sessionPort;
  private final int memoryPort;

  private FakeUpstreams() {
    sessionPort = listen("session-service");
    memoryPort = listen("memory-service");
  }

  /** A path at which the upstream closes the connection without an answer. */
  public static final String HANG_UP = "/api/v1/sessions/hang-up";

  public static synchronized FakeUpstreams shared() {
    if (shared == null) {
      shared = new FakeUpstreams();
    }
    return shared;
  }

  public String sessionUrl() {
    return "http://127.0.0.1:" + sessionPort;
  }

  public String memoryUrl() {
    return "http://127.0.0.1:" + memoryPort;
  }

  private int listen(String service) {
    try {
      return vertx
          .createHttpServer()
          .requestHandler(request -> echo(service, request))
          .listen(0, "127.0.0.1")
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS)
          .actualPort();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void echo(String service, HttpServerRequest request) {
    if (HANG_UP.equals(request.path())) {
      request.connection().close();
      return;
    }
    request
        .body()
        .onSuccess(
            body ->
                request
                    .response()
                    .setStatusCode("/api/v1/sessions/missing".equals(request.path()) ? 404 : 200)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("X-Upstream", service)
                    .end(
                        new JsonObject()
                            .put("service", service)
                            .put("method", request.method().name())
                            .put("uri", request.uri())
                            .put("authorization", request.getHeader("Authorization"))
                            .put("forwardedFor", request.getHeader("X-Forwarded-For"))
                            .put("body", body.toString())
                            .encode()));
  }
}
