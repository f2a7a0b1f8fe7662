package dev.engram.memory.repository;

import dev.engram.memory.index.VectorCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The model each stored vector comes from ({@code memory.embedding_model}), for re-embedding. */
@ApplicationScoped
public class EmbeddingModelRepository {

  /**
   * A memory whose vector another model made.
   *
   * @param previous the search text of the message before it in its session (episodic memories), or
   *     null
   */
  public record Stale(UUID id, String userId, String searchText, String previous) {}

  private final Pool pool;

  public EmbeddingModelRepository(Pool pool) {
    this.pool = pool;
  }

  /** Up to {@code limit} memories whose vector is not of {@code model}. */
  public Uni<List<Stale>> stale(String model, int limit) {
    return pool.preparedQuery(
            "select m.id, m.user_id, m.search_text, p.search_text as previous from memory m left"
                + " join lateral (select q.search_text from memory q where m.type = 'EPISODIC'"
                + " and q.user_id = m.user_id and q.session_id = m.session_id and q.sequence ="
                + " m.sequence - 1 and q.type = 'EPISODIC' limit 1) p on true where"
                + " m.embedding_model <> $1 limit $2")
        .execute(Tuple.of(model, limit))
        .map(
            rows -> {
              List<Stale> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new Stale(
                        r.getUUID("id"),
                        r.getString("user_id"),
                        r.getString("search_text"),
                        r.getString("previous")));
              }
              return out;
            });
  }

  /**
   * Stores new vectors of {@code model}, unless a row has one of that model already (written since
   * it was read); returns the rows updated.
   */
  public Uni<Integer> store(String model, List<UUID> ids, float[][] vectors) {
    List<Tuple> tuples = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      tuples.add(
          Tuple.of(
              ids.get(i),
              io.vertx.core.buffer.Buffer.buffer(VectorCodec.toBytes(vectors[i])),
              model));
    }
    return pool.preparedQuery(
            "update memory set embedding = $2, embedding_model = $3 where id = $1 and"
                + " embedding_model <> $3")
        .executeBatch(tuples)
        .map(
            result -> {
              int updated = 0;
              for (var rows = result; rows != null; rows = rows.next()) {
                updated += rows.rowCount();
              }
              return updated;
            });
  }
}
