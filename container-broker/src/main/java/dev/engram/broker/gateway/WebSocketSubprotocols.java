package dev.engram.broker.gateway;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * A browser cannot set headers on a WebSocket, so the web UI offers the subprotocols {@code
 * bearer-token-carrier} and {@code quarkus-http-upgrade#Authorization#Bearer <token>}; the
 * handshake fails unless the server answers with one of them. The gateway (which authenticates the
 * browser by its cookie) accepts {@code bearer-token-carrier}.
 */
@ApplicationScoped
public class WebSocketSubprotocols implements HttpServerOptionsCustomizer {

  @Override
  public void customizeHttpServer(HttpServerOptions options) {
    options.setWebSocketSubProtocols(List.of("bearer-token-carrier"));
  }
}
