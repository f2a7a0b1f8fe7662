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
import java.util.Arrays;
import java.util.List;

/**
 * Bridges a caller's WebSocket to an upstream one: the upstream is connected first (so an
 * unreachable instance is a 503, not a dead socket, and its frames are held meanwhile), then the
 * caller's upgrade is accepted and frames flow both ways with back-pressure; a close on either side
 * closes the other. The caller's subprotocols go along, except those carrying a header (the token:
 * the gateway sends its own Authorization header), so the upstream picks the same one the gateway
 * answers the caller with ({@link WebSocketSubprotocols}).
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
    List<String> offered = offeredSubprotocols(request);
    if (!offered.isEmpty()) {
      options.setSubProtocols(offered);
    }
    return client
        .connect(options)
        .compose(
            upstream -> {
              // an instance greets at once (hello): hold its frames until the caller's side is
              // accepted and bridged, or the first of them would be dropped
              upstream.pause();
              return request
                  .toWebSocket()
                  .onFailure(e -> upstream.close())
                  .map(
                      caller -> {
                        bridge(caller, upstream);
                        upstream.resume();
                        return null;
                      });
            });
  }

  /** The caller's subprotocols without the header carriers. */
  static List<String> offeredSubprotocols(HttpServerRequest request) {
    String header = request.getHeader(TokenExtractor.SEC_WEBSOCKET_PROTOCOL);
    if (header == null || header.isBlank()) {
      return List.of();
    }
    return Arrays.stream(header.split(","))
        .map(String::trim)
        .filter(p -> !p.isEmpty() && !TokenExtractor.isCarrier(p))
        .toList();
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
