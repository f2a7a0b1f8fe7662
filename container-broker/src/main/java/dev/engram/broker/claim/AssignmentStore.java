package dev.engram.broker.claim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.broker.config.BrokerConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Assignments and claim locks in Redis, shared by every broker replica. An assignment is a lease:
 * it expires unless the pool controller renews it, so a user whose instance nobody tends is claimed
 * afresh. A claim lock makes one replica at a time claim for a user. A claim costs two round trips:
 * the assignment is read and, when there is none, the lock taken in one script ({@link
 * #findOrLock}); the new assignment is written and the lock released in another ({@link
 * #putAndUnlock}). What this replica reads and writes is kept in the {@link AssignmentCache}.
 */
@ApplicationScoped
public class AssignmentStore {

  private static final Logger LOG = Logger.getLogger(AssignmentStore.class);
  private static final String ASSIGNMENT = "engram:broker:assignment:";
  private static final String LOCK = "engram:broker:claim-lock:";
  private static final RedisScript DELETE_IF_CONTAINS =
      new RedisScript(
          "local v = redis.call('GET', KEYS[1]) "
              + "if v and string.find(v, ARGV[1], 1, true) then return redis.call('DEL', KEYS[1])"
              + " end return 0");
  private static final RedisScript DELETE_IF_EQUALS =
      new RedisScript(
          "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
              + "return 0");

  private static final RedisScript FIND_OR_LOCK =
      new RedisScript(
          """
          local a = redis.call('GET', KEYS[1])
          if a then return {'assigned', a} end
          if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'locked', ''} end
          return {'busy', ''}
          """);
  private static final RedisScript PUT_AND_UNLOCK =
      new RedisScript(
          """
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
          return 1
          """);

  /**
   * What {@link #findOrLock} found: the user's assignment, else whether this claim took the lock.
   */
  public record FindOrLock(Optional<Assignment> assignment, boolean locked) {}

  private final RedisAPI redis;
  private final ObjectMapper json;
  private final AssignmentCache cache;
  private final String ttlMillis;
  private final String lockMillis;

  AssignmentStore(RedisAPI redis, ObjectMapper json, AssignmentCache cache, BrokerConfig config) {
    this.redis = redis;
    this.json = json;
    this.cache = cache;
    this.ttlMillis = String.valueOf(config.claim().leaseTtl().toMillis());
    // Held for the longest a claim can take, so it never expires under a claim still running (a
    // replica waiting for it would then claim a second instance for the same user): a cold start
    // waits up to the claim timeout for readiness, then records the user and binds (a call each).
    this.lockMillis =
        String.valueOf(
            config
                .claim()
                .timeout()
                .plus(config.claim().callTimeout().multipliedBy(3))
                .plusSeconds(10)
                .toMillis());
  }

  /** The user's assignment in Redis (and now in the cache). */
  public Uni<Optional<Assignment>> get(String userId) {
    return redis
        .get(ASSIGNMENT + userId)
        .map(r -> Optional.ofNullable(r).map(this::decode))
        .invoke(a -> a.ifPresent(cache::put));
  }

  public Uni<Void> put(Assignment assignment) {
    return redis
        .set(List.of(ASSIGNMENT + assignment.userId(), encode(assignment), "PX", ttlMillis))
        .invoke(() -> cache.put(assignment))
        .replaceWithVoid();
  }

  /**
   * The user's assignment if there is one, else the user's claim lock taken for {@code token}: one
   * round trip.
   */
  public Uni<FindOrLock> findOrLock(String userId, String token) {
    return FIND_OR_LOCK
        .run(redis, List.of(ASSIGNMENT + userId, LOCK + userId), List.of(token, lockMillis))
        .map(
            r ->
                switch (r.get(0).toString()) {
                  case "assigned" -> {
                    Optional<Assignment> found = Optional.ofNullable(decode(r.get(1)));
                    found.ifPresent(cache::put);
                    yield new FindOrLock(found, false);
                  }
                  case "locked" -> new FindOrLock(Optional.empty(), true);
                  default -> new FindOrLock(Optional.empty(), false);
                });
  }

  /** Writes the assignment and releases the claim lock of {@code token}: one round trip. */
  public Uni<Void> putAndUnlock(Assignment assignment, String token) {
    String user = assignment.userId();
    return PUT_AND_UNLOCK
        .run(
            redis,
            List.of(ASSIGNMENT + user, LOCK + user),
            List.of(encode(assignment), ttlMillis, token))
        .invoke(() -> cache.put(assignment))
        .replaceWithVoid();
  }

  /** Loads the scripts of the claim path into Redis, so the first claim does not send them. */
  public Uni<Void> loadScripts() {
    return FIND_OR_LOCK
        .load(redis)
        .chain(() -> PUT_AND_UNLOCK.load(redis))
        .chain(() -> DELETE_IF_CONTAINS.load(redis))
        .chain(() -> DELETE_IF_EQUALS.load(redis));
  }

  /** The user's assignment as this replica last read or wrote it (no round trip). */
  public Optional<Assignment> cached(String userId) {
    return cache.get(userId);
  }

  /** Forgets the cached {@code stale} assignment (a newer one stays). */
  public void dropCached(Assignment stale) {
    cache.drop(stale);
  }

  /** Loads the claim path's scripts at start-up, so that the first claim does not send them. */
  void warmUp(@Observes StartupEvent event) {
    loadScripts()
        .subscribe()
        .with(
            done -> {},
            e -> LOG.infof("Claim scripts not loaded at start-up (Redis: %s)", e.getMessage()));
  }

  /** Extends the lease; false when it had already expired. */
  public Uni<Boolean> renew(String userId) {
    return redis.pexpire(List.of(ASSIGNMENT + userId, ttlMillis)).map(r -> r.toInteger() == 1);
  }

  /** Removes the assignment if it is still the one made by {@code claimId}. */
  public Uni<Void> remove(String userId, String claimId) {
    cache.drop(userId);
    return DELETE_IF_CONTAINS
        .run(redis, List.of(ASSIGNMENT + userId), List.of("\"" + claimId + "\""))
        .invoke(() -> cache.drop(userId))
        .replaceWithVoid();
  }

  /** Takes the user's claim lock for {@code token}; false when another claim holds it. */
  public Uni<Boolean> lock(String userId, String token) {
    return redis
        .set(List.of(LOCK + userId, token, "NX", "PX", lockMillis))
        .map(r -> r != null && "OK".equals(r.toString()));
  }

  public Uni<Void> unlock(String userId, String token) {
    return DELETE_IF_EQUALS.run(redis, List.of(LOCK + userId), List.of(token)).replaceWithVoid();
  }

  private Assignment decode(Response value) {
    try {
      return json.readValue(value.toString(), Assignment.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private String encode(Assignment assignment) {
    try {
      return json.writeValueAsString(assignment);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
