package dev.engram.broker.controller;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.PoolCounts;
import dev.engram.broker.runtime.PodRuntime;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Starts instances until warm + starting reaches the target, within the maximum, at the refill rate
 * (a token bucket), and not while the backoff after failures lasts. Instances it created that the
 * view does not show yet count as starting, so a lagging informer never causes overshoot.
 */
@ApplicationScoped
public class RefillStep implements ReconcileStep {

  private static final long UNSEEN_GRACE_NANOS = 30_000_000_000L;

  private final PodRuntime runtime;
  private final PoolStatus status;
  private final BrokerConfig.Pool config;
  private final Map<String, Long> createdUnseen = new ConcurrentHashMap<>();
  private double tokens;
  private long refilledAt = System.nanoTime();

  RefillStep(PodRuntime runtime, PoolStatus status, BrokerConfig config) {
    this.runtime = runtime;
    this.status = status;
    this.config = config.pool();
    this.tokens = config.pool().refillBurst();
  }

  @Override
  public String name() {
    return "refill";
  }

  @Override
  public Uni<Void> run(ReconcilePass pass) {
    if (status.backoffUntil() != null && pass.now().isBefore(status.backoffUntil())) {
      return Uni.createFrom().voidItem();
    }
    Set<String> visible = pass.instances().stream().map(Instance::name).collect(Collectors.toSet());
    long now = System.nanoTime();
    createdUnseen
        .entrySet()
        .removeIf(e -> visible.contains(e.getKey()) || now - e.getValue() > UNSEEN_GRACE_NANOS);
    PoolCounts counts = PoolCounts.of(pass.instances());
    int pending = createdUnseen.size();
    int wanted = config.targetWarm() - counts.warm() - counts.starting() - pending;
    int room = config.maxTotal() - counts.live() - pending;
    int count = Math.min(Math.min(wanted, room), takeTokens(Math.max(0, Math.min(wanted, room))));
    if (count <= 0) {
      return Uni.createFrom().voidItem();
    }
    return ReconcilePass.forEach(
        IntStream.range(0, count).boxed().toList(),
        i ->
            runtime
                .create()
                .invoke(c -> createdUnseen.put(c.name(), System.nanoTime()))
                .replaceWithVoid());
  }

  private synchronized int takeTokens(int wanted) {
    long now = System.nanoTime();
    tokens =
        Math.min(config.refillBurst(), tokens + (now - refilledAt) / 1e9 * config.refillRate());
    refilledAt = now;
    int granted = (int) Math.min(wanted, Math.floor(tokens));
    tokens -= granted;
    return granted;
  }
}
