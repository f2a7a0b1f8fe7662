package dev.engram.memory.repository;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Events waiting to be published: written in the transaction of the change they announce, so an
 * event is published if and only if its change committed, even when Kafka is down at the time.
 */
@ApplicationScoped
public class OutboxRepository {

  /** One event ready to send. */
  public record Pending(long seq, String topic, String key, String payload, String traceparent) {}

  private final EventCodec codec;
  private final Clock clock;

  public OutboxRepository(EventCodec codec, Clock clock) {
    this.codec = codec;
    this.clock = clock;
  }

  public Uni<Void> add(SqlClient client, List<? extends CloudEvent<?>> events, String traceparent) {
    if (events.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> tuples = new ArrayList<>(events.size());
    for (CloudEvent<?> event : events) {
      tuples.add(
          Tuple.from(
              new Object[] {
                event.id(),
                event.topic(),
                event.key(),
                codec.encodeToString(event),
                traceparent,
                Rows.ts(clock.instant())
              }));
    }
    return client
        .preparedQuery(
            "insert into outbox (event_id, topic, record_key, payload, traceparent, created_at)"
                + " values ($1, $2, $3, $4, $5, $6)")
        .executeBatch(tuples)
        .replaceWithVoid();
  }

  /** The oldest pending events, locked against other relays until the transaction ends. */
  public Uni<List<Pending>> lockBatch(SqlClient client, int limit) {
    return client
        .preparedQuery(
            "select seq, topic, record_key, payload, traceparent from outbox order by seq"
                + " limit $1 for update skip locked")
        .execute(Tuple.of(limit))
        .map(rows -> rows.stream().map(OutboxRepository::map).toList());
  }

  public Uni<Void> delete(SqlClient client, List<Long> seqs) {
    return client
        .preparedQuery("delete from outbox where seq = any($1)")
        .execute(Tuple.of(seqs.toArray(Long[]::new)))
        .replaceWithVoid();
  }

  /** Drops what is still unsent for an erased user (it may carry the erased content). */
  public Uni<Void> deleteUser(SqlClient client, String userId) {
    return client
        .preparedQuery("delete from outbox where record_key = $1")
        .execute(Tuple.of(userId))
        .replaceWithVoid();
  }

  private static Pending map(Row r) {
    return new Pending(
        r.getLong("seq"),
        r.getString("topic"),
        r.getString("record_key"),
        r.getString("payload"),
        r.getString("traceparent"));
  }
}
