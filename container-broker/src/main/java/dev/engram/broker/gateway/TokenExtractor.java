package dev.engram.broker.gateway;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Finds the caller's token: the {@code Authorization: Bearer} header, else a WebSocket subprotocol
 * {@code quarkus-http-upgrade#Authorization#Bearer <jwt>} (URL-encoded, what the web UI offers, as
 * Quarkus WebSockets Next reads it), else the {@code access_token} query parameter (a browser's
 * WebSocket cannot set headers), else the web UI's cookie.
 */
public final class TokenExtractor {

  /** Subprotocols of this form carry a header; the gateway never forwards them. */
  public static final String HEADER_CARRIER = "quarkus-http-upgrade#";

  static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";

  private final String cookieName;

  public TokenExtractor(String cookieName) {
    this.cookieName = cookieName;
  }

  public Optional<String> token(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return nonBlank(header.substring(7).trim());
    }
    Optional<String> carried = fromSubprotocols(request.getHeader(SEC_WEBSOCKET_PROTOCOL));
    if (carried.isPresent()) {
      return carried;
    }
    String query = request.getParam("access_token");
    if (query != null) {
      return nonBlank(query);
    }
    Cookie cookie = request.getCookie(cookieName);
    return cookie == null ? Optional.empty() : nonBlank(cookie.getValue());
  }

  /** The bearer token a header-carrying subprotocol holds, if any. */
  static Optional<String> fromSubprotocols(String offered) {
    if (offered == null || !offered.contains("quarkus-http-upgrade")) {
      return Optional.empty();
    }
    for (String protocol : offered.split(",")) {
      String decoded = decode(protocol.trim());
      if (!decoded.startsWith(HEADER_CARRIER)) {
        continue;
      }
      String[] parts = decoded.split("#", 3);
      if (parts.length == 3
          && parts[1].equalsIgnoreCase("Authorization")
          && parts[2].regionMatches(true, 0, "Bearer ", 0, 7)) {
        return nonBlank(parts[2].substring(7).trim());
      }
    }
    return Optional.empty();
  }

  /** Whether an offered subprotocol is a header carrier (decoded or not). */
  static boolean isCarrier(String protocol) {
    return decode(protocol.trim()).startsWith(HEADER_CARRIER);
  }

  private static String decode(String protocol) {
    try {
      return URLDecoder.decode(protocol, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return protocol;
    }
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
