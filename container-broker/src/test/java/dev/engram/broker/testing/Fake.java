package dev.engram.broker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.config.ConfigProvider;

/** A test's handle on the {@link FakeOrchestrator} the running broker talks to (over HTTP). */
public final class Fake {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fake() {}

  /** Makes the fake trust this JVM's test signing key; call before claims. */
  public static void trustTestKeys() {
    call("/_fake/trust", TestTokens.publicKeyPem().toString());
  }

  /** {@link #trustTestKeys()} before the application (and its configuration) is up. */
  public static void trustTestKeys(int fakePort) {
    call(fakePort, "/_fake/trust", TestTokens.publicKeyPem().toString());
  }

  /** The user the instance at {@code ip} says it serves, or null. */
  public static String userAt(String ip) {
    JsonNode user = state(ip, "").get("userId");
    return user == null || user.isNull() ? null : user.asText();
  }

  public static int snapshotsAt(String ip) {
    return state(ip, "").get("snapshots").asInt();
  }

  public static void breakDown(String ip) {
    state(ip, "/break");
  }

  /** From now on the instance at {@code ip} drops every connection (it is lost). */
  public static void goDown(String ip) {
    state(ip, "/down");
  }

  /** The Authorization header of the last WebSocket handshake the instance at {@code ip} saw. */
  public static String webSocketAuthorizationAt(String ip) {
    return text(state(ip, "").get("webSocketAuthorization"));
  }

  /** The subprotocols offered in the last WebSocket handshake the instance at {@code ip} saw. */
  public static String webSocketProtocolsAt(String ip) {
    return text(state(ip, "").get("webSocketProtocols"));
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  public static void activeNow(String ip) {
    state(ip, "/active");
  }

  /** From now on the instance at {@code ip} reports new activity on every status call. */
  public static void busy(String ip) {
    state(ip, "/busy");
  }

  public static int rejectedTokens() {
    return Integer.parseInt(call("/_fake/rejected", ""));
  }

  private static JsonNode state(String ip, String action) {
    try {
      return JSON.readTree(call("/_fake/state/" + ip + action, ""));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String call(String path, String body) {
    return call(
        ConfigProvider.getConfig().getValue("engram.broker.kubernetes.port", Integer.class),
        path,
        body);
  }

  private static String call(int port, String path, String body) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
