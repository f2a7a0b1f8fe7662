package dev.engram.broker.api;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.pool.PoolCounts;
import dev.engram.broker.runtime.PodRuntime;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code GET /q/health/group/pool}: UP while this replica's view of the pool holds a warm instance,
 * or when the pool keeps none ({@code pool.target-warm} 0); DOWN (503) otherwise, with the counts.
 * What {@code helm test} waits for after an install. Not part of liveness or readiness: a gateway
 * with an empty pool still serves (a claim cold-starts). Counts only, no user, so it needs no
 * token, like the other health endpoints.
 */
@HealthGroup(WarmPoolCheck.GROUP)
@ApplicationScoped
public class WarmPoolCheck implements HealthCheck {

  /** The health group's name: {@code /q/health/group/pool}. */
  public static final String GROUP = "pool";

  private final PodRuntime runtime;
  private final BrokerConfig.Pool config;

  WarmPoolCheck(PodRuntime runtime, BrokerConfig config) {
    this.runtime = runtime;
    this.config = config.pool();
  }

  @Override
  public HealthCheckResponse call() {
    PoolCounts counts = PoolCounts.of(runtime.instances());
    return HealthCheckResponse.named("warm-pool")
        .status(counts.warm() > 0 || config.targetWarm() == 0)
        .withData("runtime", runtime.name())
        .withData("warm", counts.warm())
        .withData("starting", counts.starting())
        .withData("bound", counts.bound())
        .withData("failing", counts.failing())
        .withData("targetWarm", config.targetWarm())
        .build();
  }
}
