package dev.engram.broker.gateway;

import dev.engram.broker.config.BrokerConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * A token bucket per user, decided in this replica and settled with a shared bucket in Redis in the
 * background, so a request makes no Redis round trip. The first request of a user this replica does
 * not know asks Redis (one round trip; the answer is exact); after that the replica decides from
 * its local copy and, within one sync interval of a request, charges what it admitted to the shared
 * bucket and takes the shared bucket's level (what every replica spent) as its new local level.
 *
 * <p>Bound: with N replicas, a replica's copy misses at most what the others admitted in the last W
 * = sync interval + one Redis round trip, and each replica's own admissions are limited by its
 * local bucket, so in any interval the replicas together admit at most (N − 1) × (capacity + refill
 * × W) more than one shared bucket would. That excess is charged to the shared bucket as debt (it
 * may go below zero), so every replica then refuses until it is paid back: over longer intervals
 * the rate stays the refill rate. When Redis is unreachable each replica limits on its own (at most
 * N times the limit) and logs.
 */
@ApplicationScoped
public class RateLimiter {

  /** Whether a request may pass, and if not, after how many milliseconds one token is back. */
  public record Decision(boolean allowed, long retryAfterMillis) {}

  private static final Logger LOG = Logger.getLogger(RateLimiter.class);
  private static final long SWEEP_MILLIS = 10_000;

  private final SharedBuckets shared;
  private final Vertx vertx;
  private final int capacity;
  private final double perNano;
  private final long syncMillis;
  private final long forgetNanos;
  private final Map<String, LocalBucket> buckets = new ConcurrentHashMap<>();

  @Inject
  RateLimiter(RedisAPI redis, Vertx vertx, BrokerConfig config) {
    this(
        redis,
        vertx,
        config.gateway().rateLimitCapacity(),
        config.gateway().rateLimitRefillPerSecond(),
        config.gateway().rateLimitSyncInterval());
  }

  RateLimiter(RedisAPI redis, Vertx vertx, int capacity, double perSecond, Duration sync) {
    this.capacity = capacity;
    this.shared = new SharedBuckets(redis, capacity, perSecond);
    this.vertx = vertx;
    this.perNano = perSecond / 1e9;
    this.syncMillis = Math.max(1, sync.toMillis());
    // a bucket idle this long is full again: this replica may forget it
    this.forgetNanos = (long) (capacity / perNano) + 1_000_000_000L;
    vertx.setPeriodic(SWEEP_MILLIS, t -> sweep());
  }

  /** Loads the script at start-up, so that no request sends it. */
  void warmUp(@Observes StartupEvent event) {
    shared
        .load()
        .subscribe()
        .with(
            done -> {}, e -> LOG.infof("Rate limit script not loaded (Redis: %s)", e.getMessage()));
  }

  /** Takes a token of the user's bucket, from the local copy when this replica has one. */
  public Uni<Decision> take(String userId) {
    Decision local = tryTake(userId);
    return local != null ? Uni.createFrom().item(local) : first(userId);
  }

  /**
   * The decision without waiting: null when this replica does not know the user yet ({@link #take}
   * then asks Redis).
   */
  public Decision tryTake(String userId) {
    LocalBucket bucket = buckets.get(userId);
    if (bucket == null) {
      return null;
    }
    long now = System.nanoTime();
    Decision decision = bucket.take(now, capacity, perNano);
    if (decision.allowed() && bucket.scheduleSettle()) {
      vertx.setTimer(syncMillis, t -> settle(userId, bucket));
    }
    return decision;
  }

  /** What this replica admitted for the user and has not yet charged to Redis (for tests). */
  int unsettled(String userId) {
    LocalBucket bucket = buckets.get(userId);
    return bucket == null ? 0 : bucket.unsettled();
  }

  /** The first request of a user here: one charge in Redis decides, and seeds the local copy. */
  private Uni<Decision> first(String userId) {
    long sent = System.nanoTime();
    return shared
        .charge(userId, 1)
        .map(
            level -> {
              // the charge included this request; a concurrent first request may have seeded it
              buckets.computeIfAbsent(userId, u -> new LocalBucket(level, sent));
              return level >= 0
                  ? new Decision(true, 0)
                  : new Decision(false, LocalBucket.retryAfterMillis(level, perNano));
            })
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("Rate limiter's Redis unavailable, limiting locally: %s", e.getMessage());
              buckets.computeIfAbsent(userId, u -> new LocalBucket(capacity, sent));
              Decision decision = tryTake(userId);
              return decision != null ? decision : new Decision(true, 0);
            });
  }

  private void settle(String userId, LocalBucket bucket) {
    int spent = bucket.beginSettle();
    long sent = System.nanoTime();
    shared
        .charge(userId, spent)
        .subscribe()
        .with(
            level -> {
              if (bucket.endSettle(level, sent)) {
                vertx.setTimer(syncMillis, t -> settle(userId, bucket));
              }
            },
            e -> {
              LOG.warnf("Rate limiter's Redis unavailable, limiting locally: %s", e.getMessage());
              if (bucket.endSettle(Double.NaN, sent)) {
                vertx.setTimer(syncMillis, t -> settle(userId, bucket));
              }
            });
  }

  private void sweep() {
    long now = System.nanoTime();
    buckets.values().removeIf(b -> b.forgettable(now, forgetNanos));
  }
}
