package dev.engram.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The suite's public API, reached only through the gateway. */
final class Gateway {

  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: status, body (JSON when there is one) and the raw text. */
  record Reply(int status, JsonNode json, String body) {
    Reply ok() {
      if (status / 100 != 2) {
        throw new AssertionError("expected a 2xx answer, got " + status + ": " + body);
      }
      return this;
    }
  }

  final String base;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  Gateway(String base) {
    this.base = base;
  }

  /** A development token for {@code user} from the gateway's dev token endpoint. */
  String token(String user) {
    return post(null, "/api/v1/dev/token", Map.of("userId", user))
        .ok()
        .json()
        .get("token")
        .asText();
  }

  /** Connects (claims the user's instance; a cold start when the warm pool is empty). */
  Reply connect(String token) {
    return post(token, "/api/v1/connect", null).ok();
  }

  Reply get(String token, String path) {
    return send(token, "GET", path, null, Map.of());
  }

  Reply post(String token, String path, Object body) {
    return send(token, "POST", path, body, Map.of());
  }

  Reply delete(String token, String path) {
    return send(token, "DELETE", path, null, Map.of());
  }

  Reply send(String token, String method, String path, Object body, Map<String, String> headers) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      headers.forEach(request::header);
      if (body != null) {
        request.header("Content-Type", "application/json");
        request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      String text = response.body();
      if (text != null && !text.isBlank() && (text.startsWith("{") || text.startsWith("["))) {
        json = JSON.readTree(text);
      }
      return new Reply(response.statusCode(), json, text);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
