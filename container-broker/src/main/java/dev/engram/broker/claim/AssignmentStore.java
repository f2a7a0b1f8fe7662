package dev.engram.broker.claim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.broker.config.BrokerConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Assignments and claim locks in Redis, shared by every broker replica. An assignment is a lease:
 * it expires unless the pool controller renews it, so a user whose instance nobody tends is claimed
 * afresh. A claim lock makes one replica at a time claim for a user.
 */
@ApplicationScoped
public class AssignmentStore {

  private static final String ASSIGNMENT = "engram:broker:assignment:";
  private static final String LOCK = "engram:broker:claim-lock:";
  private static final String DELETE_IF_CONTAINS =
      "local v = redis.call('GET', KEYS[1]) "
          + "if v and string.find(v, ARGV[1], 1, true) then return redis.call('DEL', KEYS[1]) end "
          + "return 0";
  private static final String DELETE_IF_EQUALS =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
          + "return 0";

  private final RedisAPI redis;
  private final ObjectMapper json;
  private final String ttlMillis;
  private final String lockMillis;

  AssignmentStore(RedisAPI redis, ObjectMapper json, BrokerConfig config) {
    this.redis = redis;
    this.json = json;
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

  public Uni<Optional<Assignment>> get(String userId) {
    return redis.get(ASSIGNMENT + userId).map(r -> Optional.ofNullable(r).map(this::decode));
  }

  public Uni<Void> put(Assignment assignment) {
    return redis
        .set(List.of(ASSIGNMENT + assignment.userId(), encode(assignment), "PX", ttlMillis))
        .replaceWithVoid();
  }

  /** Extends the lease; false when it had already expired. */
  public Uni<Boolean> renew(String userId) {
    return redis.pexpire(List.of(ASSIGNMENT + userId, ttlMillis)).map(r -> r.toInteger() == 1);
  }

  /** Removes the assignment if it is still the one made by {@code claimId}. */
  public Uni<Void> remove(String userId, String claimId) {
    return redis
        .eval(List.of(DELETE_IF_CONTAINS, "1", ASSIGNMENT + userId, "\"" + claimId + "\""))
        .replaceWithVoid();
  }

  /** Takes the user's claim lock for {@code token}; false when another claim holds it. */
  public Uni<Boolean> lock(String userId, String token) {
    return redis
        .set(List.of(LOCK + userId, token, "NX", "PX", lockMillis))
        .map(r -> r != null && "OK".equals(r.toString()));
  }

  public Uni<Void> unlock(String userId, String token) {
    return redis.eval(List.of(DELETE_IF_EQUALS, "1", LOCK + userId, token)).replaceWithVoid();
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
