package dev.engram.broker.api;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.controller.PoolStatus;
import dev.engram.broker.events.PoolTelemetry;
import dev.engram.broker.pool.PoolCounts;
import dev.engram.broker.runtime.PodRuntime;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Operators' view of the warm pool. */
@Path("/api/v1/pool")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

  private final PodRuntime runtime;
  private final PoolStatus status;
  private final PoolTelemetry telemetry;
  private final BrokerConfig config;

  PoolResource(
      PodRuntime runtime, PoolStatus status, PoolTelemetry telemetry, BrokerConfig config) {
    this.runtime = runtime;
    this.status = status;
    this.telemetry = telemetry;
    this.config = config;
  }

  @GET
  @RolesAllowed("${engram.broker.gateway.operator-group}")
  public PoolView pool() {
    PoolCounts counts = PoolCounts.of(runtime.instances());
    return new PoolView(
        runtime.name(),
        status.leader(),
        counts.warm(),
        counts.starting(),
        counts.bound(),
        counts.failing(),
        config.pool().targetWarm(),
        config.pool().maxTotal(),
        telemetry.hitRatio(),
        status.consecutiveFailures(),
        status.backoffUntil(),
        status.lastReconcileAt(),
        status.failures());
  }
}
