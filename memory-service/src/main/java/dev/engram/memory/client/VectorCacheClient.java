package dev.engram.memory.client;

import dev.engram.memory.config.MemoryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The L2 cache of users' vectors in Redis: a version counter per user (bumped after every change)
 * and the encoded vectors stamped with the version they reflect. Every call is bounded by a short
 * timeout and answers {@link Optional#empty()} when Redis is unreachable; after a failure Redis is
 * skipped for a moment, so an outage costs no request more than one timeout.
 */
@ApplicationScoped
public class VectorCacheClient {

  private static final Logger LOG = Logger.getLogger(VectorCacheClient.class);
  private static final long BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();

  private final ReactiveValueCommands<String, byte[]> blobs;
  private final ReactiveValueCommands<String, Long> versions;
  private final ReactiveRedisDataSource redis;
  private final Duration timeout;
  private final Duration ttl;
  private final Counter failures;
  private final InvalidationClient invalidations;
  private volatile long skipUntil = System.nanoTime();

  public VectorCacheClient(
      ReactiveRedisDataSource redis,
      MemoryConfig config,
      MeterRegistry registry,
      InvalidationClient invalidations) {
    this.redis = redis;
    this.invalidations = invalidations;
    this.blobs = redis.value(byte[].class);
    this.versions = redis.value(Long.class);
    this.timeout = config.cache().redisTimeout();
    this.ttl = config.cache().l2Ttl();
    this.failures =
        Counter.builder("engram.memory.redis.failures")
            .description("Redis calls that failed or timed out (the service carried on without)")
            .register(registry);
  }

  static String blobKey(String userId) {
    return "engram:memory:vectors:" + userId;
  }

  static String versionKey(String userId) {
    return "engram:memory:vectors-version:" + userId;
  }

  /** The channel on which replicas tell each other about changes. */
  public InvalidationClient invalidations() {
    return invalidations;
  }

  /** Whether Redis answered the last call (or the back-off after a failure has passed). */
  public boolean available() {
    return System.nanoTime() - skipUntil >= 0;
  }

  /** The user's current version (0 if none yet). */
  public Uni<Optional<Long>> version(String userId) {
    return guarded(
        () -> versions.get(versionKey(userId)).map(v -> Optional.of(v == null ? 0L : v)));
  }

  /** Bumps the user's version after a change and returns the new one. */
  public Uni<Optional<Long>> bump(String userId) {
    return guarded(
        () ->
            versions
                .incr(versionKey(userId))
                .call(() -> redis.key().expire(versionKey(userId), ttl.multipliedBy(2)))
                .map(Optional::of));
  }

  /**
   * Bumps the user's version after a change to columns that the vectors do not hold (strength,
   * access count, cluster) and returns the new one. If Redis holds the user's vectors at the
   * version before, they are current at the new one too: their stamp is moved on in the same step
   * (the 8 bytes of the header's version), so another replica still loads the user from Redis
   * instead of from the database.
   */
  public Uni<Optional<Long>> bumpRows(String userId) {
    return guarded(
        () ->
            redis
                .execute(
                    "EVAL",
                    BUMP_ROWS,
                    "2",
                    versionKey(userId),
                    blobKey(userId),
                    Long.toString(ttl.multipliedBy(2).toSeconds()))
                .map(r -> Optional.of(r.toLong())));
  }

  /** The version counter's INCR, and the blob's stamp (little-endian, at byte 8) moved on. */
  private static final String BUMP_ROWS =
      """
      local function le8(v)
        local b = {}
        for i = 1, 8 do
          b[i] = string.char(v % 256)
          v = math.floor(v / 256)
        end
        return table.concat(b)
      end
      local v = redis.call('INCR', KEYS[1])
      redis.call('EXPIRE', KEYS[1], ARGV[1])
      if redis.call('GETRANGE', KEYS[2], 8, 15) == le8(v - 1) then
        redis.call('SETRANGE', KEYS[2], 8, le8(v))
      end
      return v
      """;

  /** The user's encoded vectors, if Redis holds them. */
  public Uni<Optional<byte[]>> blob(String userId) {
    return guarded(() -> blobs.get(blobKey(userId)).map(Optional::ofNullable));
  }

  /**
   * Stores the user's encoded vectors. A user's vectors live in Redis only beside a version: when
   * the version is gone, the user was forgotten (erased) while these vectors were being read, and
   * the write is undone so that nothing of an erased user stays behind.
   */
  public Uni<Boolean> store(String userId, byte[] encoded) {
    return guarded(
            () ->
                blobs
                    .set(blobKey(userId), encoded, new SetArgs().ex(ttl))
                    .chain(() -> redis.key().exists(versionKey(userId)))
                    .call(
                        versioned ->
                            versioned
                                ? Uni.createFrom().voidItem()
                                : redis.key().del(blobKey(userId)).replaceWithVoid())
                    .map(versioned -> Optional.of(true)))
        .map(Optional::isPresent);
  }

  /** Deletes everything Redis holds for the user; false if Redis could not be reached. */
  public Uni<Boolean> forget(String userId) {
    return guarded(
            () -> redis.key().del(blobKey(userId), versionKey(userId)).map(n -> Optional.of(true)))
        .map(Optional::isPresent);
  }

  private <T> Uni<Optional<T>> guarded(Supplier<Uni<Optional<T>>> call) {
    if (!available()) {
      return Uni.createFrom().item(Optional.empty());
    }
    return Uni.createFrom()
        .<Optional<T>>deferred(call::get)
        .ifNoItem()
        .after(timeout)
        .fail()
        .onFailure()
        .recoverWithItem(
            failure -> {
              failures.increment();
              skipUntil = System.nanoTime() + BACKOFF_NANOS;
              LOG.debugf("Redis unavailable, carrying on without it: %s", failure.toString());
              return Optional.empty();
            });
  }
}
