package dev.engram.orchestrator.api;

import dev.engram.orchestrator.fixtures.Fixtures;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A test WebSocket client of {@code /ws/chat} that records every frame it receives. */
public final class ChatClient implements AutoCloseable {

  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private final AtomicInteger pongs = new AtomicInteger();

  private ChatClient(WebSocketClient client, WebSocketConnectOptions options) throws Exception {
    this.client = client;
    // The handler is set on the event loop as the connection completes, so no frame is missed.
    this.socket =
        client
            .connect(options)
            .map(
                ws -> {
                  ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
                  ws.pongHandler(data -> pongs.incrementAndGet());
                  return ws;
                })
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  /** Connects with the token in the Authorization header, optionally resuming. */
  public static ChatClient connect(URI base, String token, String lastEventId) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI("/ws/chat" + (lastEventId == null ? "" : "?lastEventId=" + lastEventId))
            .addHeader("Authorization", "Bearer " + token);
    return open(options);
  }

  /** Connects like a browser: the token rides in the Sec-WebSocket-Protocol header. */
  public static ChatClient connectLikeABrowser(URI base, String token) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI("/ws/chat")
            .setSubProtocols(
                List.of(
                    "bearer-token-carrier",
                    java.net.URLEncoder.encode(
                            "quarkus-http-upgrade#Authorization#Bearer " + token,
                            java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20")));
    return open(options);
  }

  /** The status the server answered the upgrade with, when it refused it. */
  public static int refusal(URI base, String token) {
    WebSocketClient client = Fixtures.vertx().createWebSocketClient();
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI("/ws/chat");
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    try {
      client
          .connect(options)
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS)
          .close();
      return 101;
    } catch (Exception e) {
      Throwable cause = e.getCause();
      if (cause instanceof io.vertx.core.http.UpgradeRejectedException rejected) {
        return rejected.getStatus();
      }
      throw new IllegalStateException(e);
    } finally {
      client.close();
    }
  }

  private static ChatClient open(WebSocketConnectOptions options) {
    WebSocketClient client = Fixtures.vertx().createWebSocketClient();
    try {
      return new ChatClient(client, options);
    } catch (Exception e) {
      client.close();
      throw new IllegalStateException("Cannot connect to /ws/chat", e);
    }
  }

  public void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
  }

  /** Sends {@code text} as a message, in frames of at most 64 KiB (the client's frame size). */
  public void sendRaw(String text) {
    socket.writeTextMessage(text);
  }

  /** Sends {@code text} as one final text frame, however long, as a browser does. */
  public void sendOneFrame(String text) {
    socket.writeFrame(WebSocketFrame.textFrame(text, true));
  }

  /** Sends a WebSocket ping (a control frame, what keeps a connection alive). */
  public void ping() {
    socket.writePing(io.vertx.core.buffer.Buffer.buffer("keep-alive"));
  }

  /** Pongs received in answer to {@link #ping()}. */
  public int pongs() {
    return pongs.get();
  }

  /** The status the connection was closed with, or null while it is open. */
  public Short closeStatus() {
    return socket.closeStatusCode();
  }

  /** Sends a user message with a client id. */
  public void say(String content, String clientMessageId) {
    send(
        new JsonObject()
            .put("type", "user_message")
            .put("content", content)
            .put("clientMessageId", clientMessageId));
  }

  public List<JsonObject> frames() {
    return List.copyOf(frames);
  }

  public List<JsonObject> frames(String type) {
    return frames.stream().filter(f -> type.equals(f.getString("type"))).toList();
  }

  /** Waits for a frame of {@code type} matching {@code match}. */
  public JsonObject await(String type, Predicate<JsonObject> match) {
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> frames(type).stream().filter(match).findFirst().orElse(null), f -> f != null);
  }

  public JsonObject await(String type) {
    return await(type, f -> true);
  }

  public boolean closed() {
    return socket.isClosed();
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      socket.close();
    }
    client.close();
  }
}
