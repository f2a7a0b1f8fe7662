package dev.engram.session.repository;

import dev.engram.session.model.OutboxEntry;
import dev.engram.session.model.SessionEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Creates a session without a parent in a single SQL statement: it inserts the session and its
 * outbox row. One statement is one implicit transaction, one round trip and one commit (instead of
 * begin, two inserts and commit), which matters because a chat's first turn waits for it; it is
 * atomic like the transaction it replaces. A session with a parent needs the parent checked first
 * and keeps the transaction.
 */
@ApplicationScoped
public class SessionCreator {

  private static final String CREATE =
      """
      with session as (
        insert into sessions
          (id, user_id, title, status, tags, metadata, parent_session_id, last_sequence,
           created_at, updated_at)
        values ($1, $2, $3, $4, $5, $6::text::jsonb, null, 0, $7, $7)
        returning id)
      insert into outbox
        (event_id, user_id, topic, event_type, payload, traceparent, tracestate, created_at)
      select $8, $2, $9, $10, $11, $12, $13, $14 from session""";

  private final Pool pool;

  public SessionCreator(Pool pool) {
    this.pool = pool;
  }

  /** Stores {@code session} (without a parent) and {@code event}, or neither. */
  public Uni<Void> create(SessionEntity session, String metadataJson, OutboxEntry event) {
    if (session.parentSessionId != null) {
      throw new IllegalArgumentException("a session with a parent is created in a transaction");
    }
    Tuple parameters =
        Tuple.tuple()
            .addValue(session.id)
            .addValue(session.userId)
            .addValue(session.title)
            .addValue(session.status.name())
            .addArrayOfString(session.tags.toArray(String[]::new))
            .addValue(metadataJson)
            .addValue(utc(session.createdAt))
            .addValue(event.eventId)
            .addValue(event.topic)
            .addValue(event.eventType)
            .addValue(event.payload)
            .addValue(event.traceparent)
            .addValue(event.tracestate)
            .addValue(utc(event.createdAt));
    return pool.preparedQuery(CREATE).execute(parameters).replaceWithVoid();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
