package dev.engram.orchestrator.api;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * SmallRye JWT's parser with a memory: a token verified once (signature, issuer, expiry) is taken
 * as verified again until it expires, so the broker's token, which it reuses for minutes, costs one
 * RSA verification per instance rather than one per call, and a bind does not pay for one. A user's
 * token is remembered the same way. Only {@link #parse(String)} (what the bearer authentication
 * calls) is remembered; the other methods verify every time.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

  private static final int MAX_REMEMBERED = 10_000;

  private final JWTParser parser;
  private final Map<String, JsonWebToken> verified = new ConcurrentHashMap<>();

  @Inject
  public VerifiedTokens(DefaultJWTParser parser) {
    this((JWTParser) parser);
  }

  VerifiedTokens(JWTParser parser) {
    this.parser = parser;
  }

  @Override
  public JsonWebToken parse(String token) throws ParseException {
    JsonWebToken known = verified.get(token);
    long now = System.currentTimeMillis() / 1000;
    if (known != null) {
      if (known.getExpirationTime() > now) {
        return known;
      }
      verified.remove(token, known);
    }
    JsonWebToken jwt = parser.parse(token);
    if (jwt.getExpirationTime() > now) {
      if (verified.size() >= MAX_REMEMBERED) {
        verified.clear();
      }
      verified.put(token, jwt);
    }
    return jwt;
  }

  @Override
  public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
    return parser.parse(token, context);
  }

  @Override
  public JsonWebToken verify(String token, PublicKey key) throws ParseException {
    return parser.verify(token, key);
  }

  @Override
  public JsonWebToken verify(String token, SecretKey key) throws ParseException {
    return parser.verify(token, key);
  }

  @Override
  public JsonWebToken verify(String token, String secret) throws ParseException {
    return parser.verify(token, secret);
  }

  @Override
  public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
    return parser.decrypt(token, key);
  }

  @Override
  public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
    return parser.decrypt(token, key);
  }

  @Override
  public JsonWebToken decrypt(String token, String secret) throws ParseException {
    return parser.decrypt(token, secret);
  }

  @Override
  public JsonWebToken parseOnly(String token) throws ParseException {
    return parser.parseOnly(token);
  }
}
