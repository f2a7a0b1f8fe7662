package dev.engram.system;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The chat WebSocket ({@code /ws/chat}) through the gateway; every frame received is kept. */
final class ChatSocket implements AutoCloseable, WebSocket.Listener {

  final List<JsonNode> frames = new CopyOnWriteArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private final WebSocket socket;
  volatile boolean closed;

  ChatSocket(Gateway gateway, String token) throws Exception {
    gateway.connect(token);
    URI uri = URI.create(gateway.base.replaceFirst("^http", "ws") + "/ws/chat");
    socket =
        gateway
            .http
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .connectTimeout(Duration.ofSeconds(60))
            .buildAsync(uri, this)
            .get(90, TimeUnit.SECONDS);
    await("hello frame").atMost(Duration.ofSeconds(120)).until(() -> first("hello").isPresent());
  }

  Optional<JsonNode> first(String type) {
    return frames.stream().filter(f -> type.equals(f.path("type").asText())).findFirst();
  }

  /** Sends a user message (in {@code sessionId} when given) and returns its client message id. */
  String send(String content, String sessionId) throws Exception {
    String clientMessageId = UUID.randomUUID().toString();
    ObjectNode frame = Gateway.JSON.createObjectNode();
    frame
        .put("type", "user_message")
        .put("content", content)
        .put("clientMessageId", clientMessageId);
    if (sessionId != null) {
      frame.put("sessionId", sessionId);
    }
    socket.sendText(Gateway.JSON.writeValueAsString(frame), true).get(30, TimeUnit.SECONDS);
    return clientMessageId;
  }

  /** The {@code done} frame of that message's turn (fails on its {@code error} frame). */
  JsonNode awaitDone(String clientMessageId) {
    return await("the answer to " + clientMessageId)
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> {
              for (JsonNode f : frames) {
                if (clientMessageId.equals(f.path("clientMessageId").asText())) {
                  if ("done".equals(f.path("type").asText())) {
                    return f;
                  }
                  if ("error".equals(f.path("type").asText())) {
                    throw new AssertionError("the turn failed: " + f);
                  }
                }
              }
              return null;
            },
            f -> f != null);
  }

  /** Sends a message and waits for its answer. */
  JsonNode chat(String content, String sessionId) throws Exception {
    return awaitDone(send(content, sessionId));
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        frames.add(Gateway.JSON.readTree(partial.toString()));
      } catch (Exception e) {
        frames.add(
            Gateway.JSON
                .createObjectNode()
                .put("type", "unparsable")
                .put("text", partial.toString()));
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed = true;
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed = true;
  }

  @Override
  public void close() {
    if (!closed) {
      socket
          .sendClose(WebSocket.NORMAL_CLOSURE, "bye")
          .orTimeout(5, TimeUnit.SECONDS)
          .exceptionally(e -> null);
    }
  }
}
