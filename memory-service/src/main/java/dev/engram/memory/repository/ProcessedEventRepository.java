package dev.engram.memory.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Ids of the events already applied; consumers skip an event whose id is here. */
@ApplicationScoped
public class ProcessedEventRepository {

  private final Clock clock;

  public ProcessedEventRepository(Clock clock) {
    this.clock = clock;
  }

  /** Which of {@code eventIds} were already applied. */
  public Uni<Set<String>> seen(SqlClient client, List<String> eventIds) {
    if (eventIds.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    return client
        .preparedQuery("select event_id from processed_event where event_id = any($1)")
        .execute(Tuple.of(eventIds.toArray(String[]::new)))
        .map(
            rows -> {
              Set<String> seen = new HashSet<>();
              for (Row row : rows) {
                seen.add(row.getString("event_id"));
              }
              return seen;
            });
  }

  /**
   * Records events as applied. Called in the transaction that applied them; a concurrent duplicate
   * fails on the primary key and rolls its transaction back.
   */
  public Uni<Void> record(SqlClient client, String userId, List<String> eventIds) {
    if (eventIds.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return client
        .preparedQuery(
            "insert into processed_event (event_id, user_id, processed_at) values ($1, $2, $3)")
        .executeBatch(
            eventIds.stream().map(id -> Tuple.of(id, userId, Rows.ts(clock.instant()))).toList())
        .replaceWithVoid();
  }

  /** Forgets the ids of the user's events (on erasure; see {@code EraseService}). */
  public Uni<Void> deleteUser(SqlClient client, String userId) {
    return client
        .preparedQuery("delete from processed_event where user_id = $1")
        .execute(Tuple.of(userId))
        .replaceWithVoid();
  }
}
