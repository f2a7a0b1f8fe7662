package dev.engram.broker.gateway;

import dev.engram.broker.config.BrokerConfig;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the gateway's HTTP server answer a WebSocket handshake with a subprotocol the caller
 * offered, as the orchestrator does: a browser that offered subprotocols fails the connection when
 * the server agrees to none. Quarkus WebSockets Next endpoints elsewhere do the same through {@code
 * quarkus.websockets-next.server.supported-subprotocols}.
 */
@ApplicationScoped
public class WebSocketSubprotocols implements HttpServerOptionsCustomizer {

  private final List<String> supported;

  WebSocketSubprotocols(BrokerConfig config) {
    this.supported = config.gateway().websocketSubprotocols();
  }

  @Override
  public void customizeHttpServer(HttpServerOptions options) {
    options.setWebSocketSubProtocols(merged(options.getWebSocketSubProtocols()));
  }

  @Override
  public void customizeHttpsServer(HttpServerOptions options) {
    customizeHttpServer(options);
  }

  private List<String> merged(List<String> existing) {
    List<String> all = new ArrayList<>(existing == null ? List.of() : existing);
    supported.stream().filter(p -> !all.contains(p)).forEach(all::add);
    return all;
  }
}
