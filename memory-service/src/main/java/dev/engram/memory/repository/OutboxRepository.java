package dev.engram.memory.repository;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * Events waiting to be published: written in the transaction of the change they announce, so an
 * event is published if and only if its change committed, even when Kafka is down at the time.
 */
@ApplicationScoped
public class OutboxRepository {

  /** The advisory lock (of this database) that the relaying replica holds. */
  static final long RELAY_LOCK = 0x656e6772616d4f4cL;

  /** One event ready to send. */
  public record Pending(long seq, String topic, String key, String payload, String traceparent) {}

  private final EventCodec codec;
  private final Clock clock;

  public OutboxRepository(EventCodec codec, Clock clock) {
    this.codec = codec;
    this.clock = clock;
  }

  /**
   * Adds events in one statement, in their order (their {@code seq}s ascend as the list does, so
   * the relay sends them in this order).
   */
  public Uni<Void> add(SqlClient client, List<? extends CloudEvent<?>> events, String traceparent) {
    if (events.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = events.size();
    String[] ids = new String[n];
    String[] topics = new String[n];
    String[] keys = new String[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      CloudEvent<?> event = events.get(i);
      ids[i] = event.id();
      topics[i] = event.topic();
      keys[i] = event.key();
      payloads[i] = codec.encodeToString(event);
    }
    return client
        .preparedQuery(
            "insert into outbox (event_id, topic, record_key, payload, traceparent, created_at)"
                + " select e.event_id, e.topic, e.record_key, e.payload, $5::text,"
                + " $6::timestamptz from"
                + " unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as"
                + " e(event_id, topic, record_key, payload, n) order by e.n")
        .execute(
            Tuple.from(
                new Object[] {ids, topics, keys, payloads, traceparent, Rows.ts(clock.instant())}))
        .replaceWithVoid();
  }

  /**
   * The oldest pending events, for the one relay that holds the relay lock until the transaction
   * ends; empty for any other. One relay at a time, not disjoint batches in parallel (which {@code
   * skip locked} would give several replicas), keeps every user's events in order on the topic; the
   * rows stay locked, so an erasure deleting them waits for their send.
   */
  public Uni<List<Pending>> lockBatch(SqlClient client, int limit) {
    return client
        .preparedQuery("select pg_try_advisory_xact_lock($1)")
        .execute(Tuple.of(RELAY_LOCK))
        .flatMap(
            locked ->
                locked.iterator().next().getBoolean(0)
                    ? client
                        .preparedQuery(
                            "select seq, topic, record_key, payload, traceparent from outbox"
                                + " order by seq limit $1 for update")
                        .execute(Tuple.of(limit))
                        .map(rows -> rows.stream().map(OutboxRepository::map).toList())
                    : Uni.createFrom().item(List.<Pending>of()));
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
