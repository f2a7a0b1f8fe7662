package dev.engram.broker.controller;

import dev.engram.broker.claim.Releaser;
import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.events.CullReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Recycles instances older than the maximum lifetime; bound ones release their user first. */
@ApplicationScoped
public class RecycleStep implements ReconcileStep {

  private final Releaser releaser;
  private final BrokerConfig.Pool config;

  RecycleStep(Releaser releaser, BrokerConfig config) {
    this.releaser = releaser;
    this.config = config.pool();
  }

  @Override
  public String name() {
    return "recycle";
  }

  @Override
  public Uni<Void> run(ReconcilePass pass) {
    return ReconcilePass.forEach(
        pass.instances().stream()
            .filter(i -> i.phase() == InstancePhase.WARM || i.phase() == InstancePhase.BOUND)
            .filter(i -> !releaser.handling(i.name()))
            .filter(i -> pass.now().isAfter(i.createdAt().plus(config.maxLifetime())))
            .toList(),
        old ->
            old.phase() == InstancePhase.BOUND
                ? releaser.release(
                    old, old.userId(), Releaser.MAX_LIFETIME, CullReason.MAX_LIFETIME)
                : releaser.retire(old, CullReason.MAX_LIFETIME));
  }
}
