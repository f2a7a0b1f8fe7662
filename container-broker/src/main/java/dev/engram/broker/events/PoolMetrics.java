package dev.engram.broker.events;

import dev.engram.broker.pool.PoolCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool's Prometheus metrics: claim latency split warm/cold, claims by outcome and the hit rate,
 * instances per phase, refill failures, culls by reason.
 */
@ApplicationScoped
public class PoolMetrics {

  private final MeterRegistry registry;
  private final Timer warmClaims;
  private final Timer coldClaims;
  private final Counter rejected;
  private final Counter refillFailures;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicInteger warm = new AtomicInteger();
  private final AtomicInteger starting = new AtomicInteger();
  private final AtomicInteger bound = new AtomicInteger();
  private final AtomicInteger failing = new AtomicInteger();

  PoolMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.warmClaims = claimTimer("warm");
    this.coldClaims = claimTimer("cold");
    this.rejected =
        Counter.builder("engram.broker.claims.rejected")
            .description("Claims refused because the pool was at its maximum")
            .register(registry);
    this.refillFailures =
        Counter.builder("engram.broker.refill.failures")
            .description("Instances that failed: never ready, crashed, lost or refused at creation")
            .register(registry);
    gauge("engram.broker.pool.instances", tags("warm"), warm, AtomicInteger::get);
    gauge("engram.broker.pool.instances", tags("starting"), starting, AtomicInteger::get);
    gauge("engram.broker.pool.instances", tags("bound"), bound, AtomicInteger::get);
    gauge("engram.broker.pool.instances", tags("failing"), failing, AtomicInteger::get);
    gauge("engram.broker.claims.hit.ratio", List.of(), this, PoolMetrics::hitRatio);
  }

  /**
   * Registers a gauge of {@code state}, replacing one of the same name and tags that a former
   * instance left: the registry may outlive an application (tests run several in one JVM), and a
   * gauge holds its state weakly, so the old one would read NaN while this one went unregistered.
   */
  private <T> void gauge(
      String name, List<Tag> tags, T state, java.util.function.ToDoubleFunction<T> value) {
    Gauge existing = registry.find(name).tags(tags).gauge();
    if (existing != null && existing.getId().getTags().size() == tags.size()) {
      registry.remove(existing);
    }
    Gauge.builder(name, state, value).tags(tags).register(registry);
  }

  public void claimed(boolean warmClaim, Duration took) {
    (warmClaim ? warmClaims : coldClaims).record(took);
    (warmClaim ? hits : misses).incrementAndGet();
  }

  public void rejected() {
    rejected.increment();
  }

  public void refillFailed() {
    refillFailures.increment();
  }

  public void culled(String reason) {
    registry.counter("engram.broker.culled", "reason", reason).increment();
  }

  public void counts(PoolCounts counts) {
    warm.set(counts.warm());
    starting.set(counts.starting());
    bound.set(counts.bound());
    failing.set(counts.failing());
  }

  /** Share of claims served from the warm pool (1 before the first claim). */
  public double hitRatio() {
    long h = hits.get();
    long total = h + misses.get();
    return total == 0 ? 1.0 : (double) h / total;
  }

  private Timer claimTimer(String start) {
    return Timer.builder("engram.broker.claim")
        .description("From a connect request to a bound instance")
        .tag("start", start)
        .publishPercentileHistogram()
        .register(registry);
  }

  private static List<Tag> tags(String phase) {
    return List.of(Tag.of("phase", phase));
  }
}
