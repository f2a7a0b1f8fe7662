package dev.engram.memory.index;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Hits and misses of the vector caches per level, as Prometheus counters ({@code
 * engram_memory_vector_cache_total{level, result}}) and hit-ratio gauges ({@code
 * engram_memory_vector_cache_hit_ratio{level}}).
 */
@ApplicationScoped
public class CacheStats {

  private final Counter l1Hits;
  private final Counter l1Misses;
  private final Counter l2Hits;
  private final Counter l2Misses;
  private final Counter l3Loads;
  private final MeterRegistry registry;
  private final java.util.Map<String, Counter> drops =
      new java.util.concurrent.ConcurrentHashMap<>();

  public CacheStats(MeterRegistry registry) {
    this.registry = registry;
    l1Hits = counter(registry, "l1", "hit");
    l1Misses = counter(registry, "l1", "miss");
    l2Hits = counter(registry, "l2", "hit");
    l2Misses = counter(registry, "l2", "miss");
    l3Loads = counter(registry, "l3", "load");
    Gauge.builder("engram.memory.vector.cache.hit.ratio", this, s -> s.ratio(s.l1Hits, s.l1Misses))
        .tag("level", "l1")
        .description("Share of vector lookups answered by the in-process cache")
        .register(registry);
    Gauge.builder("engram.memory.vector.cache.hit.ratio", this, s -> s.ratio(s.l2Hits, s.l2Misses))
        .tag("level", "l2")
        .description("Share of L1 misses answered by Redis")
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String level, String result) {
    return Counter.builder("engram.memory.vector.cache")
        .tag("level", level)
        .tag("result", result)
        .description("Lookups of a user's vectors by cache level and result")
        .register(registry);
  }

  private double ratio(Counter hits, Counter misses) {
    double total = hits.count() + misses.count();
    return total == 0 ? 0 : hits.count() / total;
  }

  void l1Hit() {
    l1Hits.increment();
  }

  void l1Miss() {
    l1Misses.increment();
  }

  void l2Hit() {
    l2Hits.increment();
  }

  void l2Miss() {
    l2Misses.increment();
  }

  void l3Load() {
    l3Loads.increment();
  }

  /**
   * Why this replica stopped trusting a user's L1 entry: {@code recheck} (the background version
   * check found another version), {@code invalidation} (another replica's change), {@code stale} (a
   * read that confirmed the version found another one).
   */
  void dropped(String reason) {
    drops
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("engram.memory.vector.cache.drops")
                    .tag("reason", r)
                    .description("L1 entries no longer trusted, by reason (each costs a reload)")
                    .register(registry))
        .increment();
  }

  /** Hit ratio of a level (l1 or l2), 0..1. */
  public double hitRatio(String level) {
    return "l1".equals(level) ? ratio(l1Hits, l1Misses) : ratio(l2Hits, l2Misses);
  }

  public double count(String level, String result) {
    return switch (level + "/" + result) {
      case "l1/hit" -> l1Hits.count();
      case "l1/miss" -> l1Misses.count();
      case "l2/hit" -> l2Hits.count();
      case "l2/miss" -> l2Misses.count();
      default -> l3Loads.count();
    };
  }
}
