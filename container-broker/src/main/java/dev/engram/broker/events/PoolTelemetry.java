package dev.engram.broker.events;

import dev.engram.broker.claim.ClaimWarmUp;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.PoolCounts;
import dev.engram.events.CullReason;
import dev.engram.events.PodClaimed;
import dev.engram.events.PodCulled;
import dev.engram.events.PodReleased;
import dev.engram.events.PodWarmed;
import dev.engram.events.PoolResized;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import org.jboss.logging.Logger;

/** Every change of the pool, said once: as an event on {@code engram.pods}, a metric and a log. */
@ApplicationScoped
public class PoolTelemetry {

  private static final Logger LOG = Logger.getLogger(PoolTelemetry.class);

  private final PodEventProducer events;
  private final PoolMetrics metrics;

  PoolTelemetry(PodEventProducer events, PoolMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  public void warmed(Instance instance, String runtime) {
    long millis = Duration.between(instance.createdAt(), instance.readyAt()).toMillis();
    LOG.infof("Instance %s warm after %d ms", instance.name(), millis);
    events.publish(
        null, new PodWarmed(instance.name(), instance.endpoint(), runtime, Math.max(0, millis)));
  }

  /**
   * A user was bound. The warm-up's reserved user ({@link ClaimWarmUp}) is only logged (at debug):
   * no consumer should see a user that does not exist, and the metrics count real claims.
   */
  public void claimed(String userId, Instance instance, boolean warm, Duration took) {
    if (ClaimWarmUp.isWarmUpUser(userId)) {
      LOG.debugf("Warm-up claim bound %s (%d ms)", instance.name(), took.toMillis());
      return;
    }
    LOG.infof(
        "User bound to %s (%s start, %d ms)",
        instance.name(), warm ? "warm" : "cold", took.toMillis());
    metrics.claimed(warm, took);
    events.publish(
        userId, new PodClaimed(instance.name(), instance.endpoint(), warm, took.toMillis()));
  }

  /** The runtime refused to create an instance (counted among the refill failures). */
  public void creationFailed(Throwable why) {
    LOG.warnf("Creating an instance failed: %s", why.getMessage());
    metrics.refillFailed();
  }

  public void rejected() {
    metrics.rejected();
  }

  /** {@code reason}: requested, idle, max-lifetime or lost. Not said for the warm-up's user. */
  public void released(String userId, String instance, String reason) {
    if (ClaimWarmUp.isWarmUpUser(userId)) {
      LOG.debugf("Warm-up claim released %s (%s)", instance, reason);
      return;
    }
    LOG.infof("Released %s (%s)", instance, reason);
    events.publish(userId, new PodReleased(instance, reason));
  }

  public void culled(Instance instance, CullReason reason) {
    LOG.infof("Culled %s (%s)", instance.name(), reason);
    metrics.culled(reason.name().toLowerCase(Locale.ROOT));
    if (reason == CullReason.FAILED) {
      metrics.refillFailed();
    }
    String userId = ClaimWarmUp.isWarmUpUser(instance.userId()) ? null : instance.userId();
    events.publish(userId, new PodCulled(instance.name(), reason));
  }

  public void resized(PoolCounts counts, int targetWarm, int maxTotal) {
    events.publish(
        null,
        new PoolResized(
            counts.warm(),
            counts.starting(),
            counts.bound(),
            counts.failing(),
            targetWarm,
            maxTotal));
  }

  public void counts(PoolCounts counts) {
    metrics.counts(counts);
  }

  public double hitRatio() {
    return metrics.hitRatio();
  }
}
