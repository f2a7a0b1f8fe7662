package dev.engram.session.repository;

import dev.engram.session.model.MessageEntity;
import dev.engram.session.model.OutboxEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
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
 */
@ApplicationScoped
public class MessageAppender {

  /** The sequence number an event is encoded with before the statement knows the real one. */
  public static final long SEQUENCE_PLACEHOLDER = Long.MIN_VALUE;

  private static final String SEQUENCE_FIELD = "\"sequence\":";

  private static final String APPEND =
      """
      with session as (
        update sessions set last_sequence = last_sequence + 1, updated_at = $3
         where id = $1 and user_id = $2 and status = 'ACTIVE'
        returning last_sequence),
      message as (
        insert into messages (id, session_id, user_id, sequence, role, content, metadata, created_at)
        select $4, $1, $2, last_sequence, $5, $6, $7::text::jsonb, $3 from session
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
   * placeholder sequence; emits the message's sequence number, or null when the session is not the
   * user's or not ACTIVE (nothing was written then).
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
            .addValue(OffsetDateTime.ofInstant(event.createdAt, ZoneOffset.UTC));
    return pool.preparedQuery(APPEND)
        .execute(parameters)
        .map(
            rows -> {
              RowIterator<Row> found = rows.iterator();
              return found.hasNext() ? found.next().getLong(0) : null;
            });
  }
}
