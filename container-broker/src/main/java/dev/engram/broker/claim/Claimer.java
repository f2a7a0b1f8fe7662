package dev.engram.broker.claim;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.events.PoolTelemetry;
import dev.engram.broker.pool.Creations;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.PoolCounts;
import dev.engram.broker.pool.Reservations;
import dev.engram.broker.runtime.ClaimConflictException;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.events.CullReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Binds a user to an instance: the one already recorded as theirs, else a warm one (records the
 * user on it first, optimistically locked; a conflict moves on to the next), else a cold start. The
 * instance is then told whom it serves ({@code /internal/v1/bind}).
 */
@ApplicationScoped
public class Claimer {

  private static final Logger LOG = Logger.getLogger(Claimer.class);
  private static final int RECORD_ATTEMPTS = 3;

  private final PodRuntime runtime;
  private final OrchestratorClient orchestrator;
  private final Reservations reservations;
  private final Creations creations;
  private final InstanceWaiter waiter;
  private final BrokerConfig config;
  private final PoolTelemetry telemetry;

  Claimer(
      PodRuntime runtime,
      OrchestratorClient orchestrator,
      Reservations reservations,
      Creations creations,
      InstanceWaiter waiter,
      BrokerConfig config,
      PoolTelemetry telemetry) {
    this.runtime = runtime;
    this.orchestrator = orchestrator;
    this.reservations = reservations;
    this.creations = creations;
    this.waiter = waiter;
    this.config = config;
    this.telemetry = telemetry;
  }

  public Uni<Bound> claim(String userId, String claimId) {
    Optional<Instance> mine =
        runtime.instances().stream().filter(i -> i.isBoundTo(userId)).findFirst();
    if (mine.isPresent()) {
      return bind(mine.get(), userId, claimId).map(b -> new Bound(mine.get(), b, true));
    }
    return claimWarm(userId, claimId).onItem().ifNull().switchTo(() -> coldStart(userId, claimId));
  }

  /** The first warm instance this claim wins, or null when none is left. */
  private Uni<Bound> claimWarm(String userId, String claimId) {
    Optional<Instance> candidate =
        runtime.instances().stream()
            .filter(Instance::isWarm)
            .sorted(Comparator.comparing(Instance::createdAt))
            .filter(i -> reservations.reserve(i.name()))
            .findFirst();
    if (candidate.isEmpty()) {
      return Uni.createFrom().nullItem();
    }
    Instance warm = candidate.get();
    return recordAndBind(warm, userId, claimId, true)
        .onFailure(ClaimConflictException.class)
        .recoverWithUni(() -> claimWarm(userId, claimId))
        .onFailure(InstanceCallException.class)
        .recoverWithUni(e -> discard(warm, e).chain(() -> claimWarm(userId, claimId)))
        .onTermination()
        .invoke(() -> reservations.release(warm.name()));
  }

  private Uni<Bound> coldStart(String userId, String claimId) {
    PoolCounts counts = PoolCounts.of(runtime.instances());
    if (!creations.begin(runtime.instances(), config.pool().maxTotal())) {
      telemetry.rejected();
      return Uni.createFrom().failure(new PoolExhaustedException(config.pool().maxTotal()));
    }
    LOG.infof("No warm instance: cold start (%s)", counts);
    return runtime
        .create()
        .invoke(created -> creations.created(created.name()))
        .onFailure()
        .invoke(creations::failed)
        .invoke(created -> reservations.reserve(created.name()))
        .chain(
            created ->
                waiter
                    .awaitWarm(created.name(), config.claim().timeout())
                    .chain(ready -> recordAndBind(ready, userId, claimId, false))
                    .onFailure(InstanceCallException.class)
                    .call(e -> discard(created, e))
                    .onFailure(ClaimConflictException.class)
                    .recoverWithUni(() -> claim(userId, claimId))
                    .onTermination()
                    .invoke(() -> reservations.release(created.name())));
  }

  private Uni<Bound> recordAndBind(Instance warm, String userId, String claimId, boolean isWarm) {
    return record(warm, userId, claimId, RECORD_ATTEMPTS)
        .chain(claimed -> bind(claimed, userId, claimId).map(b -> new Bound(claimed, b, isWarm)));
  }

  /**
   * Records the user on the instance. A conflict caused by a mere metadata change (a heartbeat) is
   * retried against the fresh view while the instance is still warm; otherwise it propagates.
   */
  private Uni<Instance> record(Instance warm, String userId, String claimId, int attempts) {
    return runtime
        .claim(warm, userId, claimId)
        .onFailure(ClaimConflictException.class)
        .recoverWithUni(
            conflict -> {
              Optional<Instance> fresh = runtime.find(warm.name());
              boolean retry =
                  attempts > 1
                      && fresh.isPresent()
                      && fresh.get().isWarm()
                      && !fresh.get().version().equals(warm.version());
              return retry
                  ? record(fresh.get(), userId, claimId, attempts - 1)
                  : Uni.createFrom().failure(conflict);
            });
  }

  private Uni<BindResult> bind(Instance instance, String userId, String claimId) {
    return orchestrator.bind(instance.endpoint(), userId, claimId);
  }

  /** An instance that cannot serve (unreachable, or bound elsewhere) is culled. */
  private Uni<Void> discard(Instance instance, Throwable why) {
    LOG.warnf("Discarding instance %s: %s", instance.name(), why.getMessage());
    return runtime
        .delete(instance)
        .invoke(() -> telemetry.culled(instance, CullReason.FAILED))
        .onFailure()
        .recoverWithNull();
  }
}
