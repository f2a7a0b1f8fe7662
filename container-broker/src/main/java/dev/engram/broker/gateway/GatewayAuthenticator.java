package dev.engram.broker.gateway;

import dev.engram.broker.config.BrokerConfig;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies the caller's JWT (signature, issuer, expiry: SmallRye JWT with the suite's verification
 * key) and remembers verified tokens until they expire, so that a busy user's requests cost one RSA
 * verification, not one each.
 */
@ApplicationScoped
public class GatewayAuthenticator {

  private static final int MAX_CACHED = 10_000;

  /** A verified caller: the user id (the token's subject) and the token to forward. */
  public record Caller(String userId, String token, long expiresAtSeconds) {}

  private final JWTParser parser;
  private final TokenExtractor extractor;
  private final Map<String, Caller> verified = new ConcurrentHashMap<>();

  GatewayAuthenticator(JWTParser parser, BrokerConfig config) {
    this.parser = parser;
    this.extractor = new TokenExtractor(config.gateway().tokenCookie());
  }

  /** The caller, or empty when the request has no valid token. */
  public Optional<Caller> authenticate(HttpServerRequest request) {
    Optional<String> token = extractor.token(request);
    if (token.isEmpty()) {
      return Optional.empty();
    }
    long now = System.currentTimeMillis() / 1000;
    Caller cached = verified.get(token.get());
    if (cached != null) {
      if (cached.expiresAtSeconds() > now) {
        return Optional.of(cached);
      }
      verified.remove(token.get());
    }
    try {
      JsonWebToken jwt = parser.parse(token.get());
      if (jwt.getSubject() == null || jwt.getSubject().isBlank()) {
        return Optional.empty();
      }
      Caller caller = new Caller(jwt.getSubject(), token.get(), jwt.getExpirationTime());
      if (verified.size() >= MAX_CACHED) {
        verified.clear();
      }
      verified.put(token.get(), caller);
      return Optional.of(caller);
    } catch (ParseException e) {
      return Optional.empty();
    }
  }
}
