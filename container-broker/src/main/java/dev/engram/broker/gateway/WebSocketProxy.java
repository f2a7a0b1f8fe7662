package dev.engram.broker.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/**
 * Bridges a caller's WebSocket to an upstream one: the upstream is connected first (so an
 * unreachable instance is a 503, not a dead socket), then the caller's upgrade is accepted and
 * frames flow both ways with back-pressure; a close on either side closes the other.
 */
@ApplicationScoped
public class WebSocketProxy {

  /** Close code when the instance went away: the browser reconnects and gets a new one. */
  static final short INSTANCE_GONE = 1012;

  private final WebSocketClient client;

  WebSocketProxy(Vertx vertx) {
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setConnectTimeout(2000)
                .setMaxFrameSize(1 << 20)
                .setMaxMessageSize(1 << 24));
  }

  /** Fails only when the upstream could not be reached (the caller's upgrade is not done then). */
  public Future<Void> forward(HttpServerRequest request, URI base, String token) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI(request.uri())
            .addHeader(HttpHeaders.AUTHORIZATION.toString(), "Bearer " + token);
    return client
        .connect(options)
        .compose(
            upstream ->
                request
                    .toWebSocket()
                    .onFailure(e -> upstream.close())
                    .map(
                        caller -> {
                          bridge(caller, upstream);
                          return null;
                        }));
  }

  private static void bridge(ServerWebSocket caller, WebSocket upstream) {
    pipe(caller, upstream);
    pipe(upstream, caller);
    caller.closeHandler(
        v -> closeWith(upstream, caller.closeStatusCode(), caller.closeReason(), (short) 1000));
    upstream.closeHandler(
        v -> closeWith(caller, upstream.closeStatusCode(), upstream.closeReason(), INSTANCE_GONE));
    caller.exceptionHandler(e -> upstream.close(INSTANCE_GONE));
    upstream.exceptionHandler(e -> caller.close(INSTANCE_GONE));
  }

  private static void pipe(WebSocketBase from, WebSocketBase to) {
    from.frameHandler(
        frame -> {
          if (!dataFrame(frame) || to.isClosed()) {
            return;
          }
          to.writeFrame(frame);
          if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
          }
        });
  }

  private static boolean dataFrame(WebSocketFrame frame) {
    return frame.isText() || frame.isBinary() || frame.isContinuation();
  }

  private static void closeWith(WebSocketBase socket, Short code, String reason, short abnormal) {
    if (!socket.isClosed()) {
      short status = code == null || code == 1005 || code == 1006 ? abnormal : code;
      socket.close(status, reason);
    }
  }
}
