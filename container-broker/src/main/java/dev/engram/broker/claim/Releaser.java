package dev.engram.broker.claim;

import dev.engram.broker.events.PoolTelemetry;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.runtime.ClaimConflictException;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.events.CullReason;
import dev.engram.web.SingleFlight;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Unbinds users from instances. The instance snapshots the user's short-term memory first ({@code
 * /internal/v1/release}); then the assignment goes, and the instance either returns to the warm
 * pool (a requested release) or is culled (idle, too old, lost).
 */
@ApplicationScoped
public class Releaser {

  /** Reasons of pod.released. */
  public static final String REQUESTED = "requested";

  public static final String IDLE = "idle";
  public static final String MAX_LIFETIME = "max-lifetime";
  public static final String LOST = "lost";
  public static final String ERASED = "erased";

  private static final Logger LOG = Logger.getLogger(Releaser.class);
  private static final long FORGET_AFTER_NANOS = 60_000_000_000L;

  private final PodRuntime runtime;
  private final OrchestratorClient orchestrator;
  private final AssignmentStore assignments;
  private final PoolTelemetry telemetry;
  private final Map<String, Long> handled = new ConcurrentHashMap<>();
  private final Map<String, Long> releasedClaims = new ConcurrentHashMap<>();
  private final SingleFlight<Boolean> inFlight = new SingleFlight<>();

  Releaser(
      PodRuntime runtime,
      OrchestratorClient orchestrator,
      AssignmentStore assignments,
      PoolTelemetry telemetry) {
    this.runtime = runtime;
    this.orchestrator = orchestrator;
    this.assignments = assignments;
    this.telemetry = telemetry;
  }

  /**
   * {@code DELETE /api/v1/connect}: false when the user has no instance. Concurrent releases of a
   * user in this replica share one: each would otherwise find the instance still bound (the
   * assignment and the view change only when the first is done) and release it again, saying so
   * twice on {@code engram.pods}.
   */
  public Uni<Boolean> releaseUser(String userId) {
    return inFlight.run(userId, this::releaseOnce);
  }

  private Uni<Boolean> releaseOnce(String userId) {
    return assignments
        .get(userId)
        .chain(
            assignment -> {
              Instance bound =
                  runtime.instances().stream()
                      .filter(i -> i.isBoundTo(userId) && !releasedClaim(i.claimId()))
                      .findFirst()
                      .or(
                          () ->
                              assignment
                                  .flatMap(a -> runtime.find(a.instance()))
                                  .filter(i -> !releasedClaim(i.claimId())))
                      .orElse(null);
              if (bound == null) {
                return assignment.isPresent()
                    ? assignments.remove(userId, assignment.get().claimId()).replaceWith(false)
                    : Uni.createFrom().item(false);
              }
              return release(bound, userId, REQUESTED, null).replaceWith(true);
            });
  }

  /**
   * Snapshots and unbinds {@code userId} from {@code bound}; culls it for {@code cull}, else
   * returns it to the warm pool. An instance that cannot snapshot is culled as failed.
   */
  public Uni<Void> release(Instance bound, String userId, String reason, CullReason cull) {
    return unbind(bound, userId, () -> orchestrator.release(bound.endpoint()), reason, cull);
  }

  /**
   * Unbinds the erased {@code userId} from {@code bound} without a snapshot: the instance forgets
   * the user and returns to the warm pool; one that cannot be told is culled (its memory goes with
   * it).
   */
  public Uni<Void> erase(Instance bound, String userId) {
    return unbind(bound, userId, () -> orchestrator.erase(bound.endpoint(), userId), ERASED, null);
  }

  /**
   * Runs {@code leave} at the instance (release or erase), then the assignment goes; the instance
   * returns to the pool, or is culled for {@code cull} or when {@code leave} failed.
   */
  private Uni<Void> unbind(
      Instance bound, String userId, Supplier<Uni<Void>> leave, String reason, CullReason cull) {
    handled.put(bound.name(), System.nanoTime());
    if (bound.claimId() != null) {
      releasedClaims.put(bound.claimId(), System.nanoTime());
    }
    return leave
        .get()
        .map(ignored -> true)
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf(
                  "Instance %s could not let %s go: %s", bound.name(), userId, e.getMessage());
              return false;
            })
        .call(() -> forget(userId, bound))
        .call(
            left -> {
              telemetry.released(
                  userId, bound.name(), left || ERASED.equals(reason) ? reason : LOST);
              if (!left || cull != null) {
                return cull(bound, cull != null ? cull : CullReason.FAILED);
              }
              return runtime
                  .unbind(bound)
                  .invoke(() -> handled.remove(bound.name()))
                  .replaceWithVoid();
            })
        .replaceWithVoid();
  }

  /**
   * The gateway could not reach the user's instance: it is gone for them. The assignment goes; the
   * instance is culled (and the release said) only while this replica's view shows it bound to that
   * user by that claim. An assignment the view does not bear out (the instance warm or serving
   * someone else by now, released and claimed again, perhaps by another replica) must not cost
   * another claim its instance; an unreachable instance left so is the controller's to collect.
   */
  public Uni<Void> lost(Assignment assignment) {
    return assignments
        .remove(assignment.userId(), assignment.claimId())
        .chain(
            () ->
                runtime
                    .find(assignment.instance())
                    .filter(
                        i ->
                            assignment.userId().equals(i.userId())
                                && Objects.equals(assignment.claimId(), i.claimId()))
                    .map(
                        instance -> {
                          telemetry.released(assignment.userId(), instance.name(), LOST);
                          return cull(instance, CullReason.FAILED);
                        })
                    .orElse(Uni.createFrom().voidItem()));
  }

  /**
   * Whether this replica is releasing or has just culled the instance: the view may still show it
   * bound for a moment, and nothing should act on it twice.
   */
  public boolean handling(String instance) {
    long now = System.nanoTime();
    handled.values().removeIf(at -> now - at > FORGET_AFTER_NANOS);
    return handled.containsKey(instance);
  }

  /**
   * Culls a warm instance only if it is still exactly as observed: a claim that bound it meanwhile
   * wins, and the instance stays.
   */
  public Uni<Void> retire(Instance warm, CullReason reason) {
    handled.put(warm.name(), System.nanoTime());
    return runtime
        .retire(warm)
        .invoke(() -> telemetry.culled(warm, reason))
        .onFailure(ClaimConflictException.class)
        .recoverWithUni(
            () -> {
              handled.remove(warm.name());
              return Uni.createFrom().voidItem();
            });
  }

  /** Deletes an instance and says so. */
  public Uni<Void> cull(Instance instance, CullReason reason) {
    handled.put(instance.name(), System.nanoTime());
    return runtime
        .delete(instance)
        .invoke(() -> telemetry.culled(instance, reason))
        .onFailure()
        .invoke(e -> LOG.warnf("Could not delete %s: %s", instance.name(), e.getMessage()));
  }

  /**
   * Whether this replica released the binding {@code claimId} within the last minute: a view that
   * still shows it bound lags behind, and a later release must not act on it again (the instance
   * may serve someone else by then).
   */
  public boolean releasedClaim(String claimId) {
    if (claimId == null) {
      return false;
    }
    long now = System.nanoTime();
    releasedClaims.values().removeIf(at -> now - at > FORGET_AFTER_NANOS);
    return releasedClaims.containsKey(claimId);
  }

  private Uni<Void> forget(String userId, Instance bound) {
    return assignments
        .get(userId)
        .chain(
            a ->
                a.isPresent() && a.get().instance().equals(bound.name())
                    ? assignments.remove(userId, a.get().claimId())
                    : Uni.createFrom().voidItem());
  }
}
