package dev.engram.broker.controller;

import dev.engram.broker.claim.Releaser;
import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.pool.Reservations;
import dev.engram.events.CullReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;

/** Culls warm instances beyond the target (the oldest first), never one a claim is taking. */
@ApplicationScoped
public class ScaleDownStep implements ReconcileStep {

  private final Releaser releaser;
  private final Reservations reservations;
  private final BrokerConfig.Pool config;

  ScaleDownStep(Releaser releaser, Reservations reservations, BrokerConfig config) {
    this.releaser = releaser;
    this.reservations = reservations;
    this.config = config.pool();
  }

  @Override
  public String name() {
    return "scale-down";
  }

  @Override
  public Uni<Void> run(ReconcilePass pass) {
    List<Instance> warm =
        pass.inPhase(InstancePhase.WARM).stream()
            .filter(i -> !reservations.isReserved(i.name()) && !releaser.handling(i.name()))
            .sorted(Comparator.comparing(Instance::createdAt))
            .toList();
    int surplus = warm.size() - config.targetWarm();
    if (surplus <= 0) {
      return Uni.createFrom().voidItem();
    }
    return ReconcilePass.forEach(
        warm.subList(0, surplus), extra -> releaser.retire(extra, CullReason.SCALED_DOWN));
  }
}
