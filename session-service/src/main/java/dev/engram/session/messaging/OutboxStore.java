package dev.engram.session.messaging;

import dev.engram.session.config.SessionConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The relay's side of the outbox, in SQL. Used from the relay's own thread, never from an event
 * loop: it waits for each statement.
 */
@ApplicationScoped
public class OutboxStore {

  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);

  private final Pool pool;
  private final SessionConfig.Outbox config;

  public OutboxStore(Pool pool, SessionConfig config) {
    this.pool = pool;
    this.config = config.outbox();
  }

  /**
   * One relay round in one transaction: takes the relay lock (or returns -1 when another replica
   * holds it), reads the oldest unsent rows, hands them to {@code publish} (which returns once
   * Kafka acknowledged them, or throws), marks them sent and purges rows sent longer ago than the
   * retention. Returns how many rows were published.
   */
  public int round(Consumer<List<PendingEvent>> publish) {
    SqlConnection connection = pool.getConnection().await().atMost(STATEMENT_TIMEOUT);
    try {
      Transaction tx = connection.begin().await().atMost(STATEMENT_TIMEOUT);
      try {
        if (!tryLock(connection)) {
          tx.rollback().await().atMost(STATEMENT_TIMEOUT);
          return -1;
        }
        List<PendingEvent> batch = unsent(connection);
        if (!batch.isEmpty()) {
          publish.accept(batch);
          markSent(connection, batch);
        }
        purge(connection);
        tx.commit().await().atMost(STATEMENT_TIMEOUT);
        return batch.size();
      } catch (RuntimeException e) {
        tx.rollback().onFailure().recoverWithNull().await().atMost(STATEMENT_TIMEOUT);
        throw e;
      }
    } finally {
      connection.close().onFailure().recoverWithNull().await().atMost(STATEMENT_TIMEOUT);
    }
  }

  private boolean tryLock(SqlConnection connection) {
    Row row =
        connection
            .preparedQuery("select pg_try_advisory_xact_lock($1)")
            .execute(Tuple.of(config.lockKey()))
            .await()
            .atMost(STATEMENT_TIMEOUT)
            .iterator()
            .next();
    return row.getBoolean(0);
  }

  private List<PendingEvent> unsent(SqlConnection connection) {
    List<PendingEvent> batch = new ArrayList<>();
    for (Row row :
        connection
            .preparedQuery(
                "select id, topic, user_id, payload, traceparent, tracestate from outbox"
                    + " where sent_at is null order by id limit $1")
            .execute(Tuple.of(config.batchSize()))
            .await()
            .atMost(STATEMENT_TIMEOUT)) {
      batch.add(
          new PendingEvent(
              row.getLong("id"),
              row.getString("topic"),
              row.getString("user_id"),
              row.getString("payload"),
              row.getString("traceparent"),
              row.getString("tracestate")));
    }
    return batch;
  }

  private void markSent(SqlConnection connection, List<PendingEvent> batch) {
    Long[] ids = batch.stream().map(PendingEvent::id).toArray(Long[]::new);
    connection
        .preparedQuery("update outbox set sent_at = now() where id = any($1)")
        .execute(Tuple.of(ids))
        .await()
        .atMost(STATEMENT_TIMEOUT);
  }

  private void purge(SqlConnection connection) {
    OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.retention());
    connection
        .preparedQuery(
            "delete from outbox where id in (select id from outbox"
                + " where sent_at is not null and sent_at <= $1 order by sent_at limit $2)")
        .execute(Tuple.of(cutoff, config.batchSize() * 4))
        .await()
        .atMost(STATEMENT_TIMEOUT);
  }
}
