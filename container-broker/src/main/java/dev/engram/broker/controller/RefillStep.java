package dev.engram.broker.controller;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.events.PoolTelemetry;
import dev.engram.broker.pool.Creations;
import dev.engram.broker.pool.PoolCounts;
import dev.engram.broker.runtime.PodRuntime;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.IntStream;

/**
 * Starts instances until warm + starting reaches the target, within the maximum, at the refill rate
 * (a token bucket), and not while the backoff after failures lasts. Instances being created or not
 * yet in the view ({@link Creations}, shared with the claims' cold starts) count as starting, so a
 * lagging informer never causes overshoot. A creation the runtime refuses counts as a failure for
 * the backoff.
 */
@ApplicationScoped
public class RefillStep implements ReconcileStep {

  private final PodRuntime runtime;
  private final PoolStatus status;
  private final BrokerConfig.Pool config;
  private final Creations creations;
  private final PoolTelemetry telemetry;
  private double tokens;
  private long refilledAt = System.nanoTime();

  RefillStep(
      PodRuntime runtime,
      PoolStatus status,
      Creations creations,
      PoolTelemetry telemetry,
      BrokerConfig config) {
    this.runtime = runtime;
    this.telemetry = telemetry;
    this.creations = creations;
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
    PoolCounts counts = PoolCounts.of(pass.instances());
    int pending = creations.pending(pass.instances());
    int wanted = config.targetWarm() - counts.warm() - counts.starting() - pending;
    int room = config.maxTotal() - counts.live() - pending;
    int count = Math.min(Math.min(wanted, room), takeTokens(Math.max(0, Math.min(wanted, room))));
    if (count <= 0) {
      return Uni.createFrom().voidItem();
    }
    return ReconcilePass.forEach(
        IntStream.range(0, count).boxed().toList(),
        i -> {
          if (!creations.begin(runtime.instances(), config.maxTotal())) {
            return Uni.createFrom().voidItem(); // a cold start took the room meanwhile
          }
          return runtime
              .create()
              .invoke(c -> creations.created(c.name()))
              .onFailure()
              .invoke(
                  e -> {
                    creations.failed();
                    // refused by the API (a quota, an invalid template): back off as for an
                    // instance that never became ready, instead of asking again every pass
                    telemetry.creationFailed(e);
                    status.instanceFailed(pass.now(), config.backoffInitial(), config.backoffMax());
                  })
              .replaceWithVoid();
        });
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
