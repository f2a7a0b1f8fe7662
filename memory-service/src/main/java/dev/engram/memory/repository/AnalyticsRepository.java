package dev.engram.memory.repository;

import static dev.engram.memory.repository.Rows.ts;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Aggregates over memories, clusters and lifecycle counts, for one user or (user null) for the
 * whole service.
 */
@ApplicationScoped
public class AnalyticsRepository {

  /** Counts by type and state, keyed "TYPE/STATE". */
  public record Figures(
      Map<String, Long> counts,
      long total,
      long totalAccesses,
      long accessedLastWeek,
      long neverAccessed,
      double meanStrength,
      long clusters,
      double meanStability,
      Map<String, Long> transitionsLast30Days) {}

  private static final String USER = " ($1::text is null or user_id = $1) ";

  private final Pool pool;

  public AnalyticsRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Figures> figures(String userId, Instant now) {
    Uni<Map<String, Long>> counts =
        pool.preparedQuery(
                "select type, state, count(*) as n from memory where"
                    + USER
                    + "group by type, state")
            .execute(Tuple.of(userId))
            .map(
                rows -> {
                  Map<String, Long> out = new LinkedHashMap<>();
                  for (Row r : rows) {
                    out.put(r.getString("type") + "/" + r.getString("state"), r.getLong("n"));
                  }
                  return out;
                });
    Uni<Row> usage =
        pool.preparedQuery(
                "select count(*) as total, coalesce(sum(access_count), 0) as accesses,"
                    + " count(*) filter (where last_accessed_at >= $2) as recent,"
                    + " count(*) filter (where access_count = 0) as never,"
                    + " coalesce(avg(strength * exp(-greatest(0, extract(epoch from ($3 -"
                    + " reinforced_at))) / (stability_days * 86400))), 0) as strength from memory"
                    + " where"
                    + USER)
            .execute(Tuple.of(userId, ts(now.minusSeconds(7 * 86_400)), ts(now)))
            .map(rows -> rows.iterator().next());
    Uni<Row> clusters =
        pool.preparedQuery(
                "select count(*) as n, coalesce(avg(stability), 0) as stability from"
                    + " memory_cluster where"
                    + USER)
            .execute(Tuple.of(userId))
            .map(rows -> rows.iterator().next());
    Uni<Map<String, Long>> transitions =
        pool.preparedQuery(
                "select transition, sum(count) as n from lifecycle_stat where"
                    + USER
                    + "and day >= $2 group by transition")
            .execute(Tuple.of(userId, now.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(29)))
            .map(
                rows -> {
                  Map<String, Long> out = new LinkedHashMap<>();
                  for (Row r : rows) {
                    out.put(r.getString("transition"), r.getLong("n"));
                  }
                  return out;
                });
    return Uni.combine()
        .all()
        .unis(counts, usage, clusters, transitions)
        .with(
            (c, u, k, t) ->
                new Figures(
                    c,
                    u.getLong("total"),
                    u.getLong("accesses"),
                    u.getLong("recent"),
                    u.getLong("never"),
                    u.getDouble("strength"),
                    k.getLong("n"),
                    k.getDouble("stability"),
                    t));
  }
}
