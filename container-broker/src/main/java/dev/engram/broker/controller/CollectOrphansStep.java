package dev.engram.broker.controller;

import dev.engram.broker.claim.Releaser;
import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.events.CullReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Collects orphans: instances owned by something other than the pods' owner (a former one, or none
 * since an owner was configured: see {@link dev.engram.broker.k8s.PodOwner}), and instances the
 * broker has not seen healthy for longer than {@code orphan-after} (the heartbeat steps run first,
 * so a healthy instance is never stale here).
 */
@ApplicationScoped
public class CollectOrphansStep implements ReconcileStep {

  private final Releaser releaser;
  private final BrokerConfig.Pool config;

  CollectOrphansStep(Releaser releaser, BrokerConfig config) {
    this.releaser = releaser;
    this.config = config.pool();
  }

  @Override
  public String name() {
    return "collect-orphans";
  }

  @Override
  public Uni<Void> run(ReconcilePass pass) {
    return ReconcilePass.forEach(
        pass.instances().stream()
            .filter(i -> i.phase() != InstancePhase.TERMINATING)
            .filter(i -> !releaser.handling(i.name()))
            .filter(i -> i.phase() != InstancePhase.FAILING) // collect-failed has them
            // health spares a pod of ours from the staleness rule, never one of a former pool
            .filter(i -> !i.ownedByUs() || !pass.healthy().contains(i.name()))
            .filter(i -> orphan(i, pass.now()))
            .toList(),
        orphan ->
            orphan.phase() == InstancePhase.BOUND && orphan.userId() != null
                ? releaser.release(orphan, orphan.userId(), Releaser.LOST, CullReason.ORPHAN)
                : releaser.cull(orphan, CullReason.ORPHAN));
  }

  private boolean orphan(Instance instance, Instant now) {
    if (!instance.ownedByUs()) {
      return true;
    }
    Instant staleBefore = now.minus(config.orphanAfter());
    return instance.observedSince().isBefore(staleBefore)
        && instance.lastSeenHealthy().map(seen -> seen.isBefore(staleBefore)).orElse(true);
  }
}
