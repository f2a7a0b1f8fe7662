package dev.engram.broker.controller;

import dev.engram.broker.claim.Assignment;
import dev.engram.broker.claim.AssignmentStore;
import dev.engram.broker.claim.InstanceStatus;
import dev.engram.broker.claim.OrchestratorClient;
import dev.engram.broker.claim.Releaser;
import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.pool.Activity;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.pool.Reservations;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.events.CullReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks every bound instance (once per heartbeat interval) for its status: an instance whose
 * reported activity has not moved for longer than the idle timeout is released and culled; one that
 * no longer knows its user is released as lost; a healthy one gets its heartbeat and its user's
 * lease renewed. An instance that does not answer gets neither, and is collected once its heartbeat
 * is stale.
 */
@ApplicationScoped
public class CheckBoundStep implements ReconcileStep {

  private final PodRuntime runtime;
  private final OrchestratorClient orchestrator;
  private final Releaser releaser;
  private final AssignmentStore assignments;
  private final BrokerConfig.Pool config;
  private final Reservations reservations;
  private final Duration claimTimeout;
  private final Map<String, Observation> observed = new ConcurrentHashMap<>();

  /**
   * What the last check saw: when, the activity the instance reported, and when (by the broker's
   * clock) that report last changed. Idleness is measured from that change, so it never depends on
   * the instance's clock agreeing with the broker's.
   */
  record Observation(Instant checkedAt, Instant reportedActivity, Instant activeAt) {}

  CheckBoundStep(
      PodRuntime runtime,
      OrchestratorClient orchestrator,
      Releaser releaser,
      AssignmentStore assignments,
      Reservations reservations,
      BrokerConfig config) {
    this.runtime = runtime;
    this.orchestrator = orchestrator;
    this.releaser = releaser;
    this.assignments = assignments;
    this.config = config.pool();
    this.reservations = reservations;
    this.claimTimeout = config.claim().callTimeout().multipliedBy(2);
  }

  @Override
  public String name() {
    return "check-bound";
  }

  @Override
  public Uni<Void> run(ReconcilePass pass) {
    observed.keySet().removeIf(n -> pass.instances().stream().noneMatch(i -> i.name().equals(n)));
    return ReconcilePass.forEach(
        pass.inPhase(InstancePhase.BOUND).stream()
            .filter(i -> !reservations.isReserved(i.name()) && !releaser.handling(i.name()))
            .filter(i -> due(i, pass.now()))
            .toList(),
        bound -> check(bound, pass));
  }

  private boolean due(Instance instance, Instant now) {
    Observation last = observed.get(instance.name());
    return last == null || !now.isBefore(last.checkedAt().plus(config.heartbeatInterval()));
  }

  private Uni<Void> check(Instance bound, ReconcilePass pass) {
    Instant now = pass.now();
    return orchestrator
        .status(bound.endpoint())
        .chain(
            status -> {
              if (releasedMeanwhile(bound)) {
                // released while its status was read: the status (and renewing the lease, which
                // would record the assignment again) is of a binding that no longer exists
                return Uni.createFrom().voidItem();
              }
              if (!status.boundTo(bound.userId()) && bindingMayBeUnderWay(bound, now)) {
                return Uni.createFrom().voidItem();
              }
              if (!status.boundTo(bound.userId())) {
                return releaser.release(bound, bound.userId(), Releaser.LOST, CullReason.FAILED);
              }
              Observation seen = observe(bound, status, now);
              if (now.isAfter(seen.activeAt().plus(config.idleTimeout()))) {
                return releaser.release(bound, bound.userId(), Releaser.IDLE, CullReason.IDLE);
              }
              pass.healthy().add(bound.name());
              return runtime
                  .heartbeat(bound, now, new Activity(seen.reportedActivity(), seen.activeAt()))
                  // a binding that ended meanwhile (released here or by another replica) has no
                  // lease to renew: renewing would record the released user's assignment again
                  .chain(
                      recorded ->
                          recorded && !releasedMeanwhile(bound)
                              ? renew(bound)
                              : Uni.createFrom().voidItem());
            })
        .onFailure()
        .invoke(e -> observed.compute(bound.name(), (name, last) -> checkedOnly(last, bound, now)));
  }

  private boolean releasedMeanwhile(Instance bound) {
    return releaser.handling(bound.name()) || releaser.releasedClaim(bound.claimId());
  }

  /** A check that got no status: only its time counts (the next one is due an interval later). */
  private static Observation checkedOnly(Observation last, Instance bound, Instant now) {
    if (last != null) {
      return new Observation(now, last.reportedActivity(), last.activeAt());
    }
    Activity recorded = bound.activity();
    Instant reported = recorded == null ? null : recorded.reported();
    return new Observation(now, reported, activeSince(null, recorded, reported, now));
  }

  /** A claim records the user on the pod before it binds the instance: give it time. */
  private boolean bindingMayBeUnderWay(Instance bound, Instant now) {
    return bound.boundAt() != null && now.isBefore(bound.boundAt().plus(claimTimeout));
  }

  /** Records this observation of a bound instance. */
  private Observation observe(Instance bound, InstanceStatus status, Instant now) {
    Instant activeAt =
        activeSince(observed.get(bound.name()), bound.activity(), status.lastActivityAt(), now);
    Observation seen = new Observation(now, status.lastActivityAt(), activeAt);
    observed.put(bound.name(), seen);
    return seen;
  }

  /**
   * Since when (broker's clock) an instance that now reports {@code reported} counts as active: as
   * before while the report has not moved, from {@code now} when it has. With no observation of its
   * own (this broker just started, or another replica led until now), the activity recorded on the
   * instance continues if the report has not moved since, so a restart does not give an idle
   * instance a new idle timeout.
   */
  static Instant activeSince(Observation last, Activity recorded, Instant reported, Instant now) {
    if (last != null) {
      return Objects.equals(last.reportedActivity(), reported) ? last.activeAt() : now;
    }
    if (recorded != null && Objects.equals(recorded.reported(), reported)) {
      return recorded.since().isAfter(now) ? now : recorded.since();
    }
    return now;
  }

  /** Renews the user's lease; re-records an assignment that expired while the pod stayed bound. */
  private Uni<Void> renew(Instance bound) {
    return assignments
        .renew(bound.userId())
        .chain(
            renewed ->
                renewed
                    ? Uni.createFrom().voidItem()
                    : assignments.put(
                        new Assignment(
                            bound.userId(),
                            bound.name(),
                            bound.endpoint(),
                            bound.claimId(),
                            bound.boundAt() != null ? bound.boundAt() : Instant.now())));
  }
}
