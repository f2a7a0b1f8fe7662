package dev.engram.broker.claim;

import dev.engram.broker.pool.Instance;
import dev.engram.broker.runtime.PodRuntime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Erases what the pool holds of a user ({@code user.erased}): the instance bound to them forgets
 * them without a snapshot and returns to the warm pool, their assignment goes, and their short-term
 * memory snapshot is deleted from Redis, also when they are bound nowhere (a warm instance reads no
 * events, so only the broker sees every erasure). Runs under the user's claim lock, so no claim
 * binds them meanwhile; fails (to be retried) while a claim holds it.
 */
@ApplicationScoped
public class UserEraser {

  /**
   * The key of a user's snapshot, as orchestrator-service's {@code SnapshotStore} writes it;
   * container-broker's {@code LocalProcessRuntimeTest} (real instances) and the suite's system test
   * check that both agree.
   */
  static final String SNAPSHOT = "engram:orchestrator:state:";

  private final PodRuntime runtime;
  private final Releaser releaser;
  private final AssignmentStore assignments;
  private final RedisAPI redis;

  UserEraser(PodRuntime runtime, Releaser releaser, AssignmentStore assignments, RedisAPI redis) {
    this.runtime = runtime;
    this.releaser = releaser;
    this.assignments = assignments;
    this.redis = redis;
  }

  /** Erases {@code userId} from the pool; idempotent. */
  public Uni<Void> erase(String userId) {
    String token = "erase-" + UUID.randomUUID();
    return assignments
        .lock(userId, token)
        .chain(
            locked ->
                locked
                    ? underLock(userId).eventually(() -> assignments.unlock(userId, token))
                    : Uni.createFrom()
                        .failure(
                            new IllegalStateException(
                                "a claim for " + userId + " holds its lock")));
  }

  private Uni<Void> underLock(String userId) {
    return assignments
        .get(userId)
        .chain(
            assignment -> {
              List<Uni<Void>> erasures = new ArrayList<>();
              for (Instance bound : boundTo(userId, assignment)) {
                erasures.add(releaser.erase(bound, userId));
              }
              Uni<Void> instances =
                  erasures.isEmpty()
                      ? Uni.createFrom().voidItem()
                      : Uni.join().all(erasures).andCollectFailures().replaceWithVoid();
              return instances.chain(
                  () ->
                      assignment
                          .map(a -> assignments.remove(userId, a.claimId()))
                          .orElse(Uni.createFrom().voidItem()));
            })
        .chain(() -> redis.del(List.of(SNAPSHOT + userId)))
        .replaceWithVoid();
  }

  /** The instances bound to the user in this replica's view, and the one their assignment names. */
  private List<Instance> boundTo(String userId, Optional<Assignment> assignment) {
    List<Instance> bound =
        new ArrayList<>(runtime.instances().stream().filter(i -> i.isBoundTo(userId)).toList());
    assignment
        .flatMap(a -> runtime.find(a.instance()))
        .filter(i -> bound.stream().noneMatch(b -> b.name().equals(i.name())))
        .filter(i -> userId.equals(i.userId()))
        .ifPresent(bound::add);
    return bound;
  }
}
