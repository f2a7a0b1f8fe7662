package dev.engram.orchestrator.api;

import dev.engram.orchestrator.service.binding.BindingChanged;
import dev.engram.orchestrator.service.binding.BindingState;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * SmallRye JWT's parser with a memory: a token verified once (signature, issuer, expiry) is taken
 * as verified again until it expires, so the broker's token, which it reuses for minutes, costs one
 * RSA verification per instance rather than one per call, and a bind does not pay for one. A user's
 * token is remembered the same way, but only the bound user's and only while they are bound: the
 * user's tokens are forgotten when the binding changes (release, erasure, a new bind), so nothing
 * of a previous user stays in memory, and a token of anyone else (refused with 403 anyway) is never
 * remembered. The broker's tokens (group {@value InternalResource#BROKER_GROUP}) are kept across
 * bindings: they carry no user's data. Only {@link #parse(String)} (what the bearer authentication
 * calls) is remembered; the other methods verify every time.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

  private static final int MAX_REMEMBERED = 10_000;

  private final JWTParser parser;
  private final Predicate<String> bound;
  private final Map<String, JsonWebToken> verified = new ConcurrentHashMap<>();

  @Inject
  public VerifiedTokens(DefaultJWTParser parser, BindingState state) {
    this(parser, state::boundTo);
  }

  /**
   * @param bound whether a subject is the bound user (whose tokens may be remembered)
   */
  VerifiedTokens(JWTParser parser, Predicate<String> bound) {
    this.parser = parser;
    this.bound = bound;
  }

  /** Forgets every user's token when the binding changes; the broker's stay. */
  void onBindingChanged(@Observes BindingChanged change) {
    verified.values().removeIf(jwt -> !broker(jwt));
  }

  /** How many tokens are remembered now. */
  int remembered() {
    return verified.size();
  }

  /** Whether {@code token} is remembered now. */
  boolean remembers(String token) {
    return verified.containsKey(token);
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
    if (jwt.getExpirationTime() > now && (broker(jwt) || bound.test(jwt.getSubject()))) {
      if (verified.size() >= MAX_REMEMBERED) {
        verified.clear();
      }
      verified.put(token, jwt);
      if (!broker(jwt) && !bound.test(jwt.getSubject())) {
        // released (or rebound) while it was verified: the change has forgotten the user's tokens
        // already, or will once it is seen (it marks the binding before it tells its observers)
        verified.remove(token, jwt);
      }
    }
    return jwt;
  }

  private static boolean broker(JsonWebToken jwt) {
    Set<String> groups = jwt.getGroups();
    return groups != null && groups.contains(InternalResource.BROKER_GROUP);
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
