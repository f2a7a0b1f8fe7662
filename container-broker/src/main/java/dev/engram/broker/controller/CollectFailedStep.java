package dev.engram.broker.controller;

import dev.engram.broker.claim.Releaser;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.events.CullReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Culls instances that never became ready, crashed or stopped: their users are released. */
@ApplicationScoped
public class CollectFailedStep implements ReconcileStep {

  private final Releaser releaser;

  CollectFailedStep(Releaser releaser) {
    this.releaser = releaser;
  }

  @Override
  public String name() {
    return "collect-failed";
  }

  @Override
  public Uni<Void> run(ReconcilePass pass) {
    return ReconcilePass.forEach(
        pass.inPhase(InstancePhase.FAILING).stream()
            .filter(i -> !releaser.handling(i.name()))
            .toList(),
        this::collect);
  }

  private Uni<Void> collect(Instance failed) {
    return failed.userId() != null
        ? releaser.release(failed, failed.userId(), Releaser.LOST, CullReason.FAILED)
        : releaser.cull(failed, CullReason.FAILED);
  }
}
