package dev.engram.memory.service;

import dev.engram.memory.index.CacheStats;
import dev.engram.memory.repository.AnalyticsRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The analytics summary of one user, and the same figures over all users as Prometheus gauges
 * (refreshed every 30 s): {@code engram_memory_memories{type,state}}, {@code
 * engram_memory_strength_mean}, {@code engram_memory_clusters}, {@code
 * engram_memory_cluster_stability_mean}, {@code engram_memory_accesses_total_sum}.
 */
@ApplicationScoped
public class AnalyticsService {

  private final AnalyticsRepository repository;
  private final Clock clock;
  private final CacheStats cache;
  private final MeterRegistry registry;
  private final AtomicReference<AnalyticsRepository.Figures> global = new AtomicReference<>();
  private final Map<String, Boolean> registered = new ConcurrentHashMap<>();

  public AnalyticsService(
      AnalyticsRepository repository, Clock clock, CacheStats cache, MeterRegistry registry) {
    this.repository = repository;
    this.clock = clock;
    this.cache = cache;
    this.registry = registry;
    gauge("engram.memory.strength.mean", f -> f.meanStrength(), "Mean current strength");
    gauge("engram.memory.clusters", f -> (double) f.clusters(), "Clusters of all users");
    gauge("engram.memory.cluster.stability.mean", f -> f.meanStability(), "Mean cluster stability");
    gauge("engram.memory.accesses", f -> (double) f.totalAccesses(), "Sum of access counts");
  }

  /** A user's summary. */
  public Uni<Summary> summary(String userId) {
    return repository
        .figures(userId, clock.instant())
        .map(f -> Summary.of(f, cache.hitRatio("l1"), cache.hitRatio("l2")));
  }

  @Scheduled(
      every = "30s",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return repository
        .figures(null, clock.instant())
        .invoke(
            f -> {
              global.set(f);
              f.counts().keySet().forEach(this::registerCount);
            })
        .replaceWithVoid();
  }

  private void registerCount(String key) {
    registered.computeIfAbsent(
        key,
        k -> {
          String[] parts = k.split("/");
          Gauge.builder(
                  "engram.memory.memories",
                  global,
                  g -> g.get() == null ? 0 : g.get().counts().getOrDefault(k, 0L))
              .tag("type", parts[0])
              .tag("state", parts[1])
              .description("Memories of all users by type and state")
              .register(registry);
          return true;
        });
  }

  private void gauge(
      String name,
      java.util.function.ToDoubleFunction<AnalyticsRepository.Figures> value,
      String description) {
    Gauge.builder(name, global, g -> g.get() == null ? 0 : value.applyAsDouble(g.get()))
        .description(description)
        .register(registry);
  }

  /** The analytics summary. */
  public record Summary(
      long total,
      Map<String, Map<String, Long>> byTypeAndState,
      Access access,
      double meanStrength,
      Rates ratesPerDayLast30Days,
      ClusterFigures clusters,
      Map<String, Double> cacheHitRatio) {

    /** Access patterns. */
    public record Access(
        long totalAccesses, double meanAccesses, long accessedLastWeek, long neverAccessed) {}

    /** Lifecycle transitions per day, averaged over the last 30 days, and as shares. */
    public record Rates(double decayed, double consolidated, double archived, double deleted) {}

    /** Cluster count and mean stability. */
    public record ClusterFigures(long count, double meanStability) {}

    static Summary of(AnalyticsRepository.Figures f, double l1, double l2) {
      Map<String, Map<String, Long>> nested = new java.util.TreeMap<>();
      f.counts()
          .forEach(
              (k, n) -> {
                String[] parts = k.split("/");
                nested.computeIfAbsent(parts[0], t -> new java.util.TreeMap<>()).put(parts[1], n);
              });
      Map<String, Long> t = f.transitionsLast30Days();
      return new Summary(
          f.total(),
          nested,
          new Access(
              f.totalAccesses(),
              f.total() == 0 ? 0 : f.totalAccesses() / (double) f.total(),
              f.accessedLastWeek(),
              f.neverAccessed()),
          f.meanStrength(),
          new Rates(
              t.getOrDefault("DECAYED", 0L) / 30.0,
              t.getOrDefault("CONSOLIDATED", 0L) / 30.0,
              t.getOrDefault("ARCHIVED", 0L) / 30.0,
              t.getOrDefault("DELETED", 0L) / 30.0),
          new ClusterFigures(f.clusters(), f.meanStability()),
          Map.of("l1", l1, "l2", l2));
    }
  }
}
