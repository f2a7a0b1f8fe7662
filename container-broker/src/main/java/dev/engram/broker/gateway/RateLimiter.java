package dev.engram.broker.gateway;

import dev.engram.broker.config.BrokerConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A token bucket per user in Redis, shared by every gateway replica: {@code capacity} requests in a
 * burst, refilled at {@code refill-per-second}, timed by the Redis server's clock. When Redis is
 * unreachable the gateway lets requests through (and logs): an outage of the limiter must not
 * become an outage of the suite.
 */
@ApplicationScoped
public class RateLimiter {

  /** Whether a request may pass, and if not, after how many milliseconds one token is back. */
  public record Decision(boolean allowed, long retryAfterMillis) {}

  private static final Logger LOG = Logger.getLogger(RateLimiter.class);
  private static final String KEY = "engram:gateway:bucket:";
  private static final String SCRIPT =
      """
      local capacity = tonumber(ARGV[1])
      local perMs = tonumber(ARGV[2])
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
      local tokens = tonumber(b[1]) or capacity
      local ts = tonumber(b[2]) or now
      tokens = math.min(capacity, tokens + math.max(0, now - ts) * perMs)
      local allowed = 0
      local wait = 0
      if tokens >= 1 then
        tokens = tokens - 1
        allowed = 1
      else
        wait = math.ceil((1 - tokens) / perMs)
      end
      redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
      redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / perMs) + 1000)
      return {allowed, wait}
      """;
  private static final String SHA = sha1(SCRIPT);

  private final RedisAPI redis;
  private final String capacity;
  private final String perMillis;

  RateLimiter(RedisAPI redis, BrokerConfig config) {
    this.redis = redis;
    this.capacity = String.valueOf(config.gateway().rateLimitCapacity());
    this.perMillis = String.valueOf(config.gateway().rateLimitRefillPerSecond() / 1000.0);
  }

  public Uni<Decision> take(String userId) {
    List<String> args = List.of("1", KEY + userId, capacity, perMillis);
    return redis
        .evalsha(prepend(SHA, args))
        .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT"))
        .recoverWithUni(() -> redis.eval(prepend(SCRIPT, args)))
        .map(RateLimiter::decision)
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf(
                  "Rate limiter unavailable, letting the request through: %s", e.getMessage());
              return new Decision(true, 0);
            });
  }

  private static Decision decision(Response response) {
    return new Decision(response.get(0).toInteger() == 1, response.get(1).toLong());
  }

  private static List<String> prepend(String first, List<String> rest) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream())
        .toList();
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
