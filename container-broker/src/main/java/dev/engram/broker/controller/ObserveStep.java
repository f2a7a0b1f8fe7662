package dev.engram.broker.controller;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.events.PoolTelemetry;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.pool.PoolCounts;
import dev.engram.broker.runtime.PodRuntime;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices what changed since the last pass: instances that became warm (pod.warmed; a success ends
 * the refill backoff) and instances that failed before ever being ready (each one lengthens it).
 */
@ApplicationScoped
public class ObserveStep implements ReconcileStep {

  private final PodRuntime runtime;
  private final PoolTelemetry telemetry;
  private final PoolStatus status;
  private final BrokerConfig.Pool config;
  private final Map<String, InstancePhase> seen = new ConcurrentHashMap<>();

  ObserveStep(PodRuntime runtime, PoolTelemetry telemetry, PoolStatus status, BrokerConfig config) {
    this.runtime = runtime;
    this.telemetry = telemetry;
    this.status = status;
    this.config = config.pool();
  }

  @Override
  public String name() {
    return "observe";
  }

  /** Forgets what was seen: a new leader announces only what changes under it. */
  public void reset(Iterable<Instance> current) {
    seen.clear();
    current.forEach(i -> seen.put(i.name(), i.phase()));
  }

  @Override
  public Uni<Void> run(ReconcilePass pass) {
    telemetry.counts(PoolCounts.of(pass.instances()));
    for (Instance instance : pass.instances()) {
      InstancePhase before = seen.put(instance.name(), instance.phase());
      if (before == instance.phase()) {
        continue;
      }
      if (instance.phase() == InstancePhase.WARM && before != InstancePhase.BOUND) {
        if (instance.readyAt() != null) {
          telemetry.warmed(instance, runtime.name());
        }
        status.instanceReady();
      } else if (instance.phase() == InstancePhase.FAILING && instance.readyAt() == null) {
        status.instanceFailed(pass.now(), config.backoffInitial(), config.backoffMax());
      }
    }
    seen.keySet().removeIf(name -> pass.instances().stream().noneMatch(i -> i.name().equals(name)));
    return Uni.createFrom().voidItem();
  }
}
