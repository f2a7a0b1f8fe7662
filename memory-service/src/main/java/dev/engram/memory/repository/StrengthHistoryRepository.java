package dev.engram.memory.repository;

import static dev.engram.memory.repository.Rows.instant;
import static dev.engram.memory.repository.Rows.ts;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The strength history: samples of every user's memories by type and state (count, mean, 10th and
 * 90th percentile of the current strength), one set per sampling interval.
 *
 * <p>A sample and an erasure exclude each other through one advisory lock, taken exclusively by the
 * sampling transaction and shared by erasures: a sample reading a user's memories while they are
 * erased would otherwise write that user's rows after the erasure deleted the others.
 */
@ApplicationScoped
public class StrengthHistoryRepository {

  /** The advisory lock (of this database) between sampling and erasures. */
  static final long SAMPLE_LOCK = 0x656e6772616d5348L;

  /** A memory's current strength at $1, as {@code DecayCurve} computes it. */
  private static final String STRENGTH =
      "strength * exp(-greatest(0, extract(epoch from ($1 - reinforced_at))) / (stability_days *"
          + " 86400))";

  /** One sample of one user's memories of one type and state. */
  public record Point(
      Instant at,
      String type,
      String state,
      long count,
      double meanStrength,
      double p10,
      double p90) {}

  private final Pool pool;

  public StrengthHistoryRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Samples every user's memories at {@code now} as the sample of the interval starting at {@code
   * bucket}, unless that interval was sampled already or an erasure is under way (then it is left
   * to a later call), and deletes samples taken before {@code purgeBefore}. Returns the rows
   * written, or -1 when it sampled nothing.
   */
  public Uni<Integer> sample(Instant bucket, Instant now, Instant purgeBefore) {
    return pool.withTransaction(
        c ->
            c.preparedQuery("select pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(SAMPLE_LOCK))
                .flatMap(
                    locked ->
                        locked.iterator().next().getBoolean(0)
                            ? claim(c, bucket, now)
                            : Uni.createFrom().item(false))
                .flatMap(
                    claimed ->
                        claimed
                            ? write(c, now).call(n -> purge(c, purgeBefore))
                            : Uni.createFrom().item(-1)));
  }

  private static Uni<Boolean> claim(SqlClient c, Instant bucket, Instant now) {
    return c.preparedQuery(
            "insert into strength_sample_run (bucket, at) values ($1, $2) on conflict (bucket) do"
                + " nothing returning bucket")
        .execute(Tuple.of(ts(bucket), ts(now)))
        .map(rows -> rows.size() == 1);
  }

  private static Uni<Integer> write(SqlClient c, Instant now) {
    return c.preparedQuery(
            "insert into strength_sample (user_id, at, type, state, count, mean_strength,"
                + " p10_strength, p90_strength) select user_id, $1, type, state, count(*), avg(s),"
                + " percentile_cont(0.1) within group (order by s), percentile_cont(0.9) within"
                + " group (order by s) from (select user_id, type, state, "
                + STRENGTH
                + " as s from memory) m group by user_id, type, state")
        .execute(Tuple.of(ts(now)))
        .map(rows -> rows.rowCount());
  }

  private static Uni<Void> purge(SqlClient c, Instant before) {
    return c.preparedQuery("delete from strength_sample where at < $1")
        .execute(Tuple.of(ts(before)))
        .chain(
            () ->
                c.preparedQuery("delete from strength_sample_run where at < $1")
                    .execute(Tuple.of(ts(before))))
        .replaceWithVoid();
  }

  /** Deletes a user's samples (in the erasure's transaction, after any sample under way). */
  public static Uni<Void> deleteUser(SqlClient c, String userId) {
    return c.preparedQuery("select pg_advisory_xact_lock_shared($1)")
        .execute(Tuple.of(SAMPLE_LOCK))
        .chain(
            () ->
                c.preparedQuery("delete from strength_sample where user_id = $1")
                    .execute(Tuple.of(userId)))
        .replaceWithVoid();
  }

  /** A user's samples taken from {@code from} to {@code to} (both included), oldest first. */
  public Uni<List<Point>> between(String userId, Instant from, Instant to) {
    return pool.preparedQuery(
            "select at, type, state, count, mean_strength, p10_strength, p90_strength from"
                + " strength_sample where user_id = $1 and at >= $2 and at <= $3 order by at,"
                + " type, state")
        .execute(Tuple.of(userId, ts(from), ts(to)))
        .map(
            rows -> {
              List<Point> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new Point(
                        instant(r.getOffsetDateTime("at")),
                        r.getString("type"),
                        r.getString("state"),
                        r.getLong("count"),
                        r.getDouble("mean_strength"),
                        r.getDouble("p10_strength"),
                        r.getDouble("p90_strength")));
              }
              return out;
            });
  }
}
