package dev.engram.broker.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for tests (the JDK's, which like a browser fails a handshake whose answered
 * subprotocol was not offered): connects the ways a caller can present a token, and collects the
 * text messages it receives.
 */
public final class WsClient implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().build();

  /**
   * Generous: the gateway answers the handshake once the caller has an instance, which may be a
   * cold start of a JVM on a busy machine.
   */
  private static final long TIMEOUT_SECONDS = 180;

  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private WsClient(WebSocket.Builder builder, URI uri) throws Exception {
    this.socket =
        builder
            .connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
            .buildAsync(uri, new Collector())
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** As the web UI connects: {@code bearer-token-carrier} and the token-carrying subprotocol. */
  public static WsClient browser(URI uri, String token) throws Exception {
    return new WsClient(
        HTTP.newWebSocketBuilder().subprotocols("bearer-token-carrier", carrier(token)), uri);
  }

  /** With an {@code Authorization: Bearer} header, as an SDK connects. */
  public static WsClient withHeader(URI uri, String token) throws Exception {
    return new WsClient(HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token), uri);
  }

  /** Without anything but the URI (which may hold an {@code access_token} parameter). */
  public static WsClient plain(URI uri) throws Exception {
    return new WsClient(HTTP.newWebSocketBuilder(), uri);
  }

  /** The answer to a handshake that failed (null when it succeeded). */
  public static java.net.http.HttpResponse<?> handshake(URI uri, String token) throws Exception {
    WebSocket.Builder builder = HTTP.newWebSocketBuilder();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    try (WsClient client = new WsClient(builder, uri)) {
      return null;
    } catch (ExecutionException | CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse();
      }
      throw e;
    }
  }

  /** The subprotocol as {@code encodeURIComponent} in the web UI's socket.ts encodes it. */
  public static String carrier(String token) {
    return URLEncoder.encode(
            "quarkus-http-upgrade#Authorization#Bearer " + token, StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /** The subprotocol the server agreed to ("" for none). */
  public String subprotocol() {
    return socket.getSubprotocol();
  }

  public void send(String text) {
    socket.sendText(text, true).join();
  }

  /** The next text message, waiting for it. */
  public String next() throws InterruptedException {
    return next(TIMEOUT_SECONDS);
  }

  /** The next text message, waiting at most {@code seconds} for it. */
  public String next(long seconds) throws InterruptedException {
    String message = messages.poll(seconds, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("no message within " + seconds + " s");
    }
    return message;
  }

  /** Waits until the server closes the socket; its close code. */
  public int awaitClose() throws Exception {
    return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (!closed.isDone() && !socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
    socket.abort();
  }

  private final class Collector implements WebSocket.Listener {

    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
