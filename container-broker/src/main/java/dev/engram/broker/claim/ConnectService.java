package dev.engram.broker.claim;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.events.PoolTelemetry;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.runtime.PodRuntime;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Connects users to their own instance and releases them. One user has at most one instance:
 * concurrent connects of a user in this replica share one claim, replicas take turns through a
 * Redis lock, and the assignment in Redis is what every replica routes by.
 */
@ApplicationScoped
public class ConnectService {

  private static final Logger LOG = Logger.getLogger(ConnectService.class);
  private static final Duration LOCK_WAIT_STEP = Duration.ofMillis(50);

  private final PodRuntime runtime;
  private final Claimer claimer;
  private final AssignmentStore assignments;
  private final PoolTelemetry telemetry;
  private final BrokerConfig config;
  private final Map<String, Uni<Connection>> inFlight = new ConcurrentHashMap<>();

  ConnectService(
      PodRuntime runtime,
      Claimer claimer,
      AssignmentStore assignments,
      PoolTelemetry telemetry,
      BrokerConfig config) {
    this.runtime = runtime;
    this.claimer = claimer;
    this.assignments = assignments;
    this.telemetry = telemetry;
    this.config = config;
  }

  /** Binds the user to an instance (theirs if they have one). */
  public Uni<Connection> connect(String userId) {
    return Uni.createFrom()
        .deferred(
            () ->
                inFlight.computeIfAbsent(
                    userId,
                    u ->
                        connectOnce(u)
                            .onTermination()
                            .invoke(() -> inFlight.remove(u))
                            .memoize()
                            .indefinitely()));
  }

  /** The user's live assignment, if any (what the gateway routes by). */
  public Uni<Optional<Assignment>> assignment(String userId) {
    return assignments.get(userId).map(a -> a.filter(this::live));
  }

  private Uni<Connection> connectOnce(String userId) {
    long started = System.nanoTime();
    return assignment(userId)
        .chain(
            existing ->
                existing.isPresent()
                    ? Uni.createFrom().item(reused(existing.get(), started))
                    : claimLocked(
                        userId, started, System.nanoTime() + config.claim().timeout().toNanos()));
  }

  private Uni<Connection> claimLocked(String userId, long started, long deadline) {
    String claimId = UUID.randomUUID().toString();
    return assignments
        .lock(userId, claimId)
        .chain(
            locked -> {
              if (!locked) {
                return waitForOtherReplica(userId, started, deadline);
              }
              return claimer
                  .claim(userId, claimId)
                  .call(bound -> assignments.put(assignmentOf(userId, claimId, bound)))
                  .map(bound -> connected(userId, bound, started))
                  .onTermination()
                  .invoke(() -> unlockLater(userId, claimId));
            });
  }

  /**
   * Releases the claim lock without holding the answer back for it: the assignment is already
   * written, a later claim of this user that still finds the lock waits for it like any other
   * ({@link #waitForOtherReplica}), and a release that never arrives expires with the lock's TTL.
   */
  private void unlockLater(String userId, String claimId) {
    assignments
        .unlock(userId, claimId)
        .subscribe()
        .with(
            done -> {},
            e -> LOG.warnf("Claim lock of a user not released (it expires): %s", e.getMessage()));
  }

  /** Another replica is claiming for this user: use its result, or claim once its lock is gone. */
  private Uni<Connection> waitForOtherReplica(String userId, long started, long deadline) {
    if (System.nanoTime() > deadline) {
      return Uni.createFrom().failure(new PoolExhaustedException(config.pool().maxTotal()));
    }
    return Uni.createFrom()
        .voidItem()
        .onItem()
        .delayIt()
        .by(LOCK_WAIT_STEP)
        .chain(() -> assignment(userId))
        .chain(
            existing ->
                existing.isPresent()
                    ? Uni.createFrom().item(reused(existing.get(), started))
                    : claimLocked(userId, started, deadline));
  }

  private boolean live(Assignment assignment) {
    Optional<Instance> instance = runtime.find(assignment.instance());
    if (instance.isEmpty()) {
      return false;
    }
    InstancePhase phase = instance.get().phase();
    return phase == InstancePhase.BOUND
        ? assignment.userId().equals(instance.get().userId())
        : phase == InstancePhase.WARM; // the view may lag behind the claim that bound it
  }

  private Assignment assignmentOf(String userId, String claimId, Bound bound) {
    Instant boundAt = bound.bind().boundAt() != null ? bound.bind().boundAt() : Instant.now();
    return new Assignment(
        userId, bound.instance().name(), bound.instance().endpoint(), claimId, boundAt);
  }

  private Connection connected(String userId, Bound bound, long started) {
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    telemetry.claimed(userId, bound.instance(), bound.warm(), took);
    return new Connection(
        userId,
        bound.instance().name(),
        InstancePhase.BOUND.name(),
        bound.bind().boundAt(),
        bound.warm(),
        false,
        bound.bind().restored(),
        took.toMillis());
  }

  private Connection reused(Assignment assignment, long started) {
    return new Connection(
        assignment.userId(),
        assignment.instance(),
        InstancePhase.BOUND.name(),
        assignment.boundAt(),
        true,
        true,
        false,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }
}
