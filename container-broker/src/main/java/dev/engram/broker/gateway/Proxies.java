package dev.engram.broker.gateway;

import jakarta.enterprise.context.ApplicationScoped;

/** The two ways the gateway forwards: plain HTTP and WebSocket. */
@ApplicationScoped
public class Proxies {

  private final HttpProxy http;
  private final WebSocketProxy webSocket;

  Proxies(HttpProxy http, WebSocketProxy webSocket) {
    this.http = http;
    this.webSocket = webSocket;
  }

  public HttpProxy http() {
    return http;
  }

  public WebSocketProxy webSocket() {
    return webSocket;
  }
}
