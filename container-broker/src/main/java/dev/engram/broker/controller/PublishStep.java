package dev.engram.broker.controller;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.events.PoolTelemetry;
import dev.engram.broker.pool.PoolCounts;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;

/** Publishes pool.resized when the counts differ from the last published ones. */
@ApplicationScoped
public class PublishStep implements ReconcileStep {

  private final PoolTelemetry telemetry;
  private final BrokerConfig.Pool config;
  private volatile PoolCounts published;

  PublishStep(PoolTelemetry telemetry, BrokerConfig config) {
    this.telemetry = telemetry;
    this.config = config.pool();
  }

  @Override
  public String name() {
    return "publish";
  }

  @Override
  public Uni<Void> run(ReconcilePass pass) {
    PoolCounts counts = PoolCounts.of(pass.instances());
    if (!Objects.equals(counts, published)) {
      published = counts;
      telemetry.resized(counts, config.targetWarm(), config.maxTotal());
    }
    return Uni.createFrom().voidItem();
  }
}
