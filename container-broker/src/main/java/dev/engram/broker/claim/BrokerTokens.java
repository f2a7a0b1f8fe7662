package dev.engram.broker.claim;

import dev.engram.broker.config.BrokerConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Tokens the broker signs with the suite's signing key: its own short-lived token for the
 * orchestrator's internal API (group {@value #BROKER_GROUP}, cached until a fifth of its life is
 * left, since RSA signing costs about a millisecond) and, in development, users' tokens.
 */
@ApplicationScoped
public class BrokerTokens {

  /** The group the orchestrator's internal API requires. */
  public static final String BROKER_GROUP = "engram-broker";

  private static final Logger LOG = Logger.getLogger(BrokerTokens.class);

  private final String issuer;
  private final Duration lifetime;
  private volatile String cached;
  private volatile Instant refreshAt = Instant.EPOCH;

  BrokerTokens(
      @ConfigProperty(name = "mp.jwt.verify.issuer", defaultValue = "engram") String issuer,
      BrokerConfig config) {
    this.issuer = issuer;
    this.lifetime = config.claim().tokenLifetime();
  }

  /** Signs the first token at start-up, so that no claim pays for loading the key. */
  void warmUp(@Observes StartupEvent event) {
    try {
      internal();
    } catch (RuntimeException e) {
      LOG.warnf(
          "Cannot sign the broker's token yet (is smallrye.jwt.sign.key.location set?): %s",
          e.getMessage());
    }
  }

  /** The broker's bearer token for {@code /internal/v1/**}. */
  public String internal() {
    Instant now = Instant.now();
    String token = cached;
    if (token == null || now.isAfter(refreshAt)) {
      synchronized (this) {
        if (cached == null || now.isAfter(refreshAt)) {
          cached =
              Jwt.issuer(issuer)
                  .subject("container-broker")
                  .upn("container-broker")
                  .groups(Set.of(BROKER_GROUP))
                  .expiresIn(lifetime)
                  .sign();
          refreshAt = now.plus(lifetime.multipliedBy(4).dividedBy(5));
        }
        token = cached;
      }
    }
    return token;
  }

  /** A development token for {@code userId} in {@code groups}, valid for {@code lifetime}. */
  public String forUser(String userId, Set<String> groups, Duration lifetime) {
    return forUser(userId, groups, lifetime, Map.of());
  }

  /** The same with extra {@code claims}. */
  public String forUser(
      String userId, Set<String> groups, Duration lifetime, Map<String, String> claims) {
    JwtClaimsBuilder builder =
        Jwt.issuer(issuer).subject(userId).upn(userId).groups(groups).expiresIn(lifetime);
    claims.forEach(builder::claim);
    return builder.sign();
  }
}
