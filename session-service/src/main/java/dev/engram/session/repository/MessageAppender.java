package dev.engram.session.repository;

import dev.engram.session.model.MessageEntity;
import dev.engram.session.model.OutboxEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Appends a message in a single SQL statement: it takes the session's next sequence number (only
 * while the session is the user's and ACTIVE), inserts the message and inserts its outbox row. One
 * statement is one implicit transaction, one round trip and one commit, which is what makes the
 * append path, the busiest of the service, cheap; the statement is atomic like the transaction it
 * replaces, and the session row's lock orders concurrent appends to one session.
 *
 * <p>The outbox payload carries the sequence number, which only the statement knows: the caller
 * encodes the event with {@link #SEQUENCE_PLACEHOLDER} as its sequence, and the statement splices
 * the real number in its place.
 *
 * <p>A message with an idempotency key is appended only if its session has no message with that
 * key: the statement checks first (a repeat then writes nothing, not even the sequence), and the
 * unique index on (session, key) settles two appends of one key at the same time: the second waits
 * for the first and fails as a whole (its sequence number is not taken either). Either way the
 * caller learns that nothing was written and looks the key up; the common path stays one statement.
 */
@ApplicationScoped
public class MessageAppender {

  /** The sequence number an event is encoded with before the statement knows the real one. */
  public static final long SEQUENCE_PLACEHOLDER = Long.MIN_VALUE;

  private static final String SEQUENCE_FIELD = "\"sequence\":";

  /** The unique index that allows one message per idempotency key and session. */
  static final String KEY_INDEX = "messages_session_idempotency_key_idx";

  private static final String UNIQUE_VIOLATION = "23505";

  private static final String APPEND =
      """
      with session as (
        update sessions set last_sequence = last_sequence + 1, updated_at = $3
         where id = $1 and user_id = $2 and status = 'ACTIVE'
           and ($16::text is null
                or not exists (select 1 from messages where session_id = $1 and idempotency_key = $16))
        returning last_sequence),
      message as (
        insert into messages
          (id, session_id, user_id, sequence, role, content, metadata, created_at, idempotency_key)
        select $4, $1, $2, last_sequence, $5, $6, $7::text::jsonb, $3, $16 from session
        returning sequence),
      event as (
        insert into outbox
          (event_id, user_id, topic, event_type, payload, traceparent, tracestate, created_at)
        select $8, $2, $9, $10, $11::text || sequence::text || $12::text, $13, $14, $15
          from message)
      select sequence from message""";

  private final Pool pool;

  public MessageAppender(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores {@code message} (whose sequence is ignored) and {@code event}, whose payload holds the
   * placeholder sequence; emits the message's sequence number, or null when nothing was written:
   * the session is not the user's or not ACTIVE, or it already has a message with the message's
   * idempotency key.
   */
  public Uni<Long> append(MessageEntity message, String metadataJson, OutboxEntry event) {
    String marker = SEQUENCE_FIELD + SEQUENCE_PLACEHOLDER;
    int at = event.payload.indexOf(marker);
    if (at < 0) {
      throw new IllegalArgumentException("the event's payload has no placeholder sequence");
    }
    Tuple parameters =
        Tuple.tuple()
            .addValue(message.sessionId)
            .addValue(message.userId)
            .addValue(OffsetDateTime.ofInstant(message.createdAt, ZoneOffset.UTC))
            .addValue(message.id)
            .addValue(message.role.wireName())
            .addValue(message.content)
            .addValue(metadataJson)
            .addValue(event.eventId)
            .addValue(event.topic)
            .addValue(event.eventType)
            .addValue(event.payload.substring(0, at + SEQUENCE_FIELD.length()))
            .addValue(event.payload.substring(at + marker.length()))
            .addValue(event.traceparent)
            .addValue(event.tracestate)
            .addValue(OffsetDateTime.ofInstant(event.createdAt, ZoneOffset.UTC))
            .addValue(message.idempotencyKey);
    return pool.preparedQuery(APPEND)
        .execute(parameters)
        .map(
            rows -> {
              RowIterator<Row> found = rows.iterator();
              return found.hasNext() ? found.next().getLong(0) : null;
            })
        .onFailure(MessageAppender::keyTaken)
        .recoverWithNull();
  }

  /** An append that lost the race for its idempotency key to another one (nothing was written). */
  private static boolean keyTaken(Throwable failure) {
    return failure instanceof PgException pg
        && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && KEY_INDEX.equals(pg.getConstraint());
  }
}
