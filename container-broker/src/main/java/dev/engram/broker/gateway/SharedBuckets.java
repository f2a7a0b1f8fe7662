package dev.engram.broker.gateway;

import dev.engram.broker.claim.RedisScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.util.List;

/**
 * The users' shared token buckets in Redis, timed by the Redis server's clock: a charge refills the
 * bucket for the time passed, subtracts what a replica admitted (the level may go below zero: a
 * debt the refill pays back) and answers the new level. One script call, so replicas never lose
 * each other's charges.
 */
final class SharedBuckets {

  private static final String KEY = "engram:gateway:bucket:";
  private static final RedisScript CHARGE =
      new RedisScript(
          """
          local capacity = tonumber(ARGV[1])
          local perMs = tonumber(ARGV[2])
          local spent = tonumber(ARGV[3])
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
          local tokens = tonumber(b[1]) or capacity
          local ts = tonumber(b[2]) or now
          tokens = math.min(capacity, tokens + math.max(0, now - ts) * perMs) - spent
          redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
          redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / perMs) + 1000)
          return tostring(tokens)
          """);

  private final RedisAPI redis;
  private final String capacity;
  private final String perMillis;

  SharedBuckets(RedisAPI redis, int capacity, double perSecond) {
    this.redis = redis;
    this.capacity = String.valueOf(capacity);
    this.perMillis = String.valueOf(perSecond / 1000.0);
  }

  /** Charges {@code spent} requests to the user's bucket; the level after it. */
  Uni<Double> charge(String userId, int spent) {
    return CHARGE
        .run(redis, List.of(KEY + userId), List.of(capacity, perMillis, String.valueOf(spent)))
        .map(r -> Double.parseDouble(r.toString()));
  }

  /** Loads the script ahead of the first request. */
  Uni<Void> load() {
    return CHARGE.load(redis);
  }
}
