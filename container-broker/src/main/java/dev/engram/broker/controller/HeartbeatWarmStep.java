package dev.engram.broker.controller;

import dev.engram.broker.claim.OrchestratorClient;
import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.runtime.PodRuntime;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Stamps the heartbeat of warm instances (ready by their probe) once per heartbeat interval, after
 * reading their status over the claims' own HTTP client: that keeps its keep-alive connection to a
 * waiting instance in use, so the claim that takes the instance does not open a new one.
 */
@ApplicationScoped
public class HeartbeatWarmStep implements ReconcileStep {

  private final PodRuntime runtime;
  private final OrchestratorClient orchestrator;
  private final BrokerConfig.Pool config;

  HeartbeatWarmStep(PodRuntime runtime, OrchestratorClient orchestrator, BrokerConfig config) {
    this.runtime = runtime;
    this.orchestrator = orchestrator;
    this.config = config.pool();
  }

  @Override
  public String name() {
    return "heartbeat-warm";
  }

  @Override
  public Uni<Void> run(ReconcilePass pass) {
    pass.inPhase(InstancePhase.WARM).forEach(warm -> pass.healthy().add(warm.name()));
    return ReconcilePass.forEach(
        pass.inPhase(InstancePhase.WARM).stream().filter(i -> due(i, pass.now())).toList(),
        warm ->
            orchestrator
                .status(warm.endpoint())
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull() // its readiness probe, not this read, decides its health
                .chain(() -> runtime.heartbeat(warm, pass.now(), null))
                .replaceWithVoid());
  }

  private boolean due(Instance instance, Instant now) {
    return instance.heartbeatAt() == null
        || !now.isBefore(instance.heartbeatAt().plus(config.heartbeatInterval()));
  }
}
