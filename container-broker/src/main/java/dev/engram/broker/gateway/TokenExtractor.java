package dev.engram.broker.gateway;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * Finds the caller's token: the {@code Authorization: Bearer} header, else the {@code access_token}
 * query parameter (a browser's WebSocket cannot set headers), else the web UI's cookie.
 */
public final class TokenExtractor {

  private final String cookieName;

  public TokenExtractor(String cookieName) {
    this.cookieName = cookieName;
  }

  public Optional<String> token(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return nonBlank(header.substring(7).trim());
    }
    String query = request.getParam("access_token");
    if (query != null) {
      return nonBlank(query);
    }
    Cookie cookie = request.getCookie(cookieName);
    return cookie == null ? Optional.empty() : nonBlank(cookie.getValue());
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
