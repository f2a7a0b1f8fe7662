package dev.engram.broker.claim;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.events.PoolTelemetry;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.web.SingleFlight;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
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
  private final SingleFlight<Connection> inFlight = new SingleFlight<>();

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
    return inFlight.run(userId, this::connectOnce);
  }

  /** The user's live assignment in Redis, if any (what the gateway routes by). */
  public Uni<Optional<Assignment>> assignment(String userId) {
    return assignments.get(userId).map(a -> a.filter(this::live));
  }

  /**
   * The user's assignment as this replica cached it, while its view shows the instance bound to the
   * user; a cached assignment the view contradicts is dropped. Without a round trip: the instance
   * itself refuses any other user, so a stale entry costs a refusal and a new lookup, never another
   * user's instance.
   */
  public Optional<Assignment> cachedAssignment(String userId) {
    Optional<Assignment> cached = assignments.cached(userId);
    if (cached.isPresent() && !boundInView(cached.get())) {
      assignments.dropCached(cached.get());
      return Optional.empty();
    }
    return cached;
  }

  /** Forgets a cached assignment the instance refused or that could not be reached. */
  public void dropCached(Assignment stale) {
    assignments.dropCached(stale);
  }

  private Uni<Connection> connectOnce(String userId) {
    long started = System.nanoTime();
    return claimLocked(userId, started, started + config.claim().timeout().toNanos());
  }

  /**
   * Reuses the user's live assignment, else claims under the user's lock: the lookup and the lock
   * are one round trip to Redis, and so are the assignment's write and the lock's release.
   */
  private Uni<Connection> claimLocked(String userId, long started, long deadline) {
    String claimId = UUID.randomUUID().toString();
    return assignments
        .findOrLock(userId, claimId)
        .chain(
            found -> {
              Optional<Assignment> live = found.assignment().filter(this::live);
              if (live.isPresent()) {
                return Uni.createFrom().item(reused(live.get(), started));
              }
              if (found.assignment().isPresent()) {
                // a stale assignment (its instance is gone or serves someone else): claim anew
                return assignments
                    .lock(userId, claimId)
                    .chain(
                        locked ->
                            locked
                                ? claim(userId, claimId, started)
                                : waitForOtherReplica(userId, started, deadline));
              }
              return found.locked()
                  ? claim(userId, claimId, started)
                  : waitForOtherReplica(userId, started, deadline);
            });
  }

  private Uni<Connection> claim(String userId, String claimId, long started) {
    return claimer
        .claim(userId, claimId)
        .call(bound -> assignments.putAndUnlock(assignmentOf(userId, claimId, bound), claimId))
        .map(bound -> connected(userId, bound, started))
        .onFailure()
        .invoke(e -> unlockLater(userId, claimId))
        .onCancellation()
        .invoke(() -> unlockLater(userId, claimId));
  }

  /**
   * Releases the claim lock of a claim that failed, without holding the answer back for it: a later
   * claim of this user that still finds the lock waits for it like any other ({@link
   * #waitForOtherReplica}), and a release that never arrives expires with the lock's TTL.
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
        .chain(() -> claimLocked(userId, started, deadline));
  }

  private boolean boundInView(Assignment assignment) {
    Optional<Instance> instance = runtime.find(assignment.instance());
    return instance.isPresent()
        && instance.get().phase() == InstancePhase.BOUND
        && assignment.userId().equals(instance.get().userId())
        && assignment.endpoint().equals(instance.get().endpoint());
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
