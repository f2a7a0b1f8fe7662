package dev.engram.memory.repository;

import static dev.engram.memory.repository.Rows.ts;

import dev.engram.memory.lifecycle.LifecyclePolicy;
import dev.engram.memory.model.Memory;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The sweep's queries: candidates for a lifecycle step, deletions, and transition counts. */
@ApplicationScoped
public class LifecycleRepository {

  /** Memories that may be due for a step ($1 now, $2-$5 the policy's thresholds). */
  private static final String DUE =
      "((state = 'ACTIVE' and (forget_at <= $1 or ((access_count >= $2 or salience >= $3) and"
          + " created_at <= $4))) or (state = 'CONSOLIDATED' and"
          + " coalesce(last_accessed_at, state_changed_at) <= $5) or (state = 'DECAYED' and"
          + " delete_after <= $1))";

  /**
   * Memories that may be due for a transition at {@code now}, locked (others skip them), with their
   * users' locks taken first ({@link UserLocks}: the sweep deletes memories, which shrinks their
   * clusters). The predicates are coarse; {@link LifecyclePolicy} decides.
   */
  public Uni<List<Memory>> candidates(
      SqlClient client, LifecyclePolicy policy, Instant now, int limit) {
    Object[] due = {
      ts(now),
      (long) policy.consolidateAccesses(),
      policy.consolidateSalience(),
      ts(now.minus(policy.consolidateMinAge())),
      ts(now.minus(policy.archiveAfter())),
      limit
    };
    return client
        .preparedQuery(
            "select distinct user_id from (select user_id from memory where "
                + DUE
                + " limit $6) due")
        .execute(Tuple.from(due))
        .map(rows -> rows.stream().map(r -> r.getString("user_id")).toList())
        .flatMap(
            users ->
                users.isEmpty()
                    ? Uni.createFrom().item(List.<Memory>of())
                    : UserLocks.lockAll(client, users)
                        .chain(
                            () ->
                                client
                                    .preparedQuery(
                                        "select "
                                            + MemoryRepository.COLUMNS
                                            + " from memory where user_id = any($7) and "
                                            + DUE
                                            + " limit $6 for update skip locked")
                                    .execute(Tuple.from(append(due, users.toArray(String[]::new))))
                                    .map(
                                        rows ->
                                            rows.stream().map(MemoryRepository::map).toList())));
  }

  private static Object[] append(Object[] values, Object value) {
    Object[] out = java.util.Arrays.copyOf(values, values.length + 1);
    out[values.length] = value;
    return out;
  }

  public Uni<Void> delete(SqlClient client, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return client
        .preparedQuery(ClusterRepository.deletingMemories("id = any($1)"))
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .replaceWithVoid();
  }

  /** Adds transition counts for the analytics rates, keyed "userId|TRANSITION". */
  public Uni<Void> count(SqlClient client, Map<String, Long> counts, Instant now) {
    if (counts.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    var day = now.atOffset(ZoneOffset.UTC).toLocalDate();
    return client
        .preparedQuery(
            "insert into lifecycle_stat (user_id, day, transition, count) values ($1, $2, $3, $4)"
                + " on conflict (user_id, day, transition) do update set count = lifecycle_stat.count"
                + " + excluded.count")
        .executeBatch(
            counts.entrySet().stream()
                .map(
                    e -> {
                      String[] key = e.getKey().split("\\|", 2);
                      return Tuple.of(key[0], day, key[1], e.getValue());
                    })
                .toList())
        .replaceWithVoid();
  }
}
