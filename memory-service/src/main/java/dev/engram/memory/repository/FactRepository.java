package dev.engram.memory.repository;

import static dev.engram.memory.repository.Rows.instant;
import static dev.engram.memory.repository.Rows.ts;

import dev.engram.events.FactCategory;
import dev.engram.memory.model.Fact;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The {@code fact} table. */
@ApplicationScoped
public class FactRepository {

  private static final String COLUMNS =
      "id, user_id, memory_id, category, subject, predicate, object, slot, confidence,"
          + " confirmations, source_message_id, valid_from, valid_to, superseded_by, created_at,"
          + " updated_at";

  private final Pool pool;

  public FactRepository(Pool pool) {
    this.pool = pool;
  }

  /** The user's current facts, locked so that concurrent ingest of one user stays consistent. */
  public Uni<List<Fact>> currentForUpdate(SqlClient client, String userId) {
    return client
        .preparedQuery(
            "select " + COLUMNS + " from fact where user_id = $1 and valid_to is null for update")
        .execute(Tuple.of(userId))
        .map(rows -> rows.stream().map(FactRepository::map).toList());
  }

  public Uni<Void> insert(SqlClient client, List<Fact> facts) {
    if (facts.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> tuples = new ArrayList<>();
    for (Fact f : facts) {
      tuples.add(
          Tuple.from(
              new Object[] {
                f.id(),
                f.userId(),
                f.memoryId(),
                f.category().name(),
                f.subject(),
                f.predicate(),
                f.object(),
                f.slot(),
                f.confidence(),
                f.confirmations(),
                f.sourceMessageId(),
                ts(f.validFrom()),
                ts(f.validTo()),
                f.supersededBy(),
                ts(f.createdAt()),
                ts(f.updatedAt())
              }));
    }
    return client
        .preparedQuery(
            "insert into fact ("
                + COLUMNS
                + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)")
        .executeBatch(tuples)
        .replaceWithVoid();
  }

  public Uni<Void> confirm(SqlClient client, UUID id, double confidence, Instant at) {
    return client
        .preparedQuery(
            "update fact set confidence = $2, confirmations = confirmations + 1, updated_at = $3"
                + " where id = $1")
        .execute(Tuple.of(id, confidence, ts(at)))
        .replaceWithVoid();
  }

  /** Closes a fact: it held until {@code validTo}, when {@code supersededBy} began. */
  public Uni<Void> close(
      SqlClient client, UUID id, UUID supersededBy, Instant validTo, Instant at) {
    return client
        .preparedQuery(
            "update fact set valid_to = $3, superseded_by = $2, updated_at = $4 where id = $1")
        .execute(Tuple.of(id, supersededBy, ts(validTo), ts(at)))
        .replaceWithVoid();
  }

  /** A page of the user's facts, newest first; only current ones unless {@code history}. */
  public Uni<List<Fact>> list(
      String userId,
      FactCategory category,
      String subject,
      boolean history,
      Instant afterCreated,
      UUID afterId,
      int limit) {
    List<Object> params = new ArrayList<>(List.of(userId));
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from fact where user_id = $1");
    if (!history) {
      sql.append(" and valid_to is null");
    }
    if (category != null) {
      params.add(category.name());
      sql.append(" and category = $").append(params.size());
    }
    if (subject != null) {
      params.add(subject);
      sql.append(" and lower(subject) = lower($").append(params.size()).append(")");
    }
    if (afterCreated != null) {
      params.add(ts(afterCreated));
      params.add(afterId);
      sql.append(" and (created_at, id) < ($")
          .append(params.size() - 1)
          .append(", $")
          .append(params.size())
          .append(")");
    }
    params.add(limit);
    sql.append(" order by created_at desc, id desc limit $").append(params.size());
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .map(rows -> rows.stream().map(FactRepository::map).toList());
  }

  public Uni<Void> deleteUser(SqlClient client, String userId) {
    return client
        .preparedQuery("delete from fact where user_id = $1")
        .execute(Tuple.of(userId))
        .replaceWithVoid();
  }

  static Fact map(Row r) {
    return new Fact(
        r.getUUID("id"),
        r.getString("user_id"),
        r.getUUID("memory_id"),
        FactCategory.valueOf(r.getString("category")),
        r.getString("subject"),
        r.getString("predicate"),
        r.getString("object"),
        r.getString("slot"),
        r.getDouble("confidence"),
        r.getInteger("confirmations"),
        r.getUUID("source_message_id"),
        instant(r.getOffsetDateTime("valid_from")),
        instant(r.getOffsetDateTime("valid_to")),
        r.getUUID("superseded_by"),
        instant(r.getOffsetDateTime("created_at")),
        instant(r.getOffsetDateTime("updated_at")));
  }
}
