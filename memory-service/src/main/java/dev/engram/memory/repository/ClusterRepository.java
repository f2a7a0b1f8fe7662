package dev.engram.memory.repository;

import static dev.engram.memory.repository.Rows.instant;
import static dev.engram.memory.repository.Rows.ts;

import dev.engram.memory.index.VectorCodec;
import dev.engram.memory.model.Cluster;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code memory_cluster} table. */
@ApplicationScoped
public class ClusterRepository {

  private static final String COLUMNS =
      "id, user_id, centroid, size, label, stability, changes, created_at, updated_at";

  private final Pool pool;

  public ClusterRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  public Uni<List<Cluster>> forUser(SqlClient client, String userId) {
    return client
        .preparedQuery("select " + COLUMNS + " from memory_cluster where user_id = $1")
        .execute(Tuple.of(userId))
        .map(rows -> rows.stream().map(ClusterRepository::map).toList());
  }

  public Uni<List<Cluster>> list(String userId, int limit) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from memory_cluster where user_id = $1 order by size desc, id limit $2")
        .execute(Tuple.of(userId, limit))
        .map(rows -> rows.stream().map(ClusterRepository::map).toList());
  }

  public Uni<Optional<Cluster>> find(String userId, UUID id) {
    return pool.preparedQuery(
            "select " + COLUMNS + " from memory_cluster where id = $1 and user_id = $2")
        .execute(Tuple.of(id, userId))
        .map(
            rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  /** Inserts or replaces clusters. */
  public Uni<Void> upsert(SqlClient client, List<Cluster> clusters) {
    if (clusters.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return client
        .preparedQuery(
            "insert into memory_cluster ("
                + COLUMNS
                + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (id) do update set"
                + " centroid = excluded.centroid, size = excluded.size, label = excluded.label,"
                + " stability = excluded.stability, changes = excluded.changes,"
                + " updated_at = excluded.updated_at")
        .executeBatch(
            clusters.stream()
                .map(
                    c ->
                        Tuple.from(
                            new Object[] {
                              c.id(),
                              c.userId(),
                              Buffer.buffer(VectorCodec.toBytes(c.centroid())),
                              c.size(),
                              c.label(),
                              c.stability(),
                              c.changes(),
                              ts(c.createdAt()),
                              ts(c.updatedAt())
                            }))
                .toList())
        .replaceWithVoid();
  }

  public Uni<Void> delete(SqlClient client, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return client
        .preparedQuery("delete from memory_cluster where id = any($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .replaceWithVoid();
  }

  /** Users whose clusters changed since the last pass. */
  /**
   * A statement deleting the memories {@code condition} selects (in terms of the memory table's
   * columns and the statement's parameters) and shrinking their clusters in the same step: each
   * cluster loses its deleted members from its size and counts them as changes, so the next {@code
   * ClusterPass} recomputes its centroid, label and stability (and removes it once empty). Its one
   * row: {@code deleted}, the number of memories deleted.
   */
  public static String deletingMemories(String condition) {
    return "with gone as (delete from memory where "
        + condition
        + " returning cluster_id),"
        + " shrunk as (update memory_cluster k set size = greatest(k.size - g.n, 0),"
        + " changes = k.changes + g.n from (select cluster_id, count(*)::int n from gone"
        + " where cluster_id is not null group by cluster_id) g where k.id = g.cluster_id)"
        + " select count(*)::int as deleted from gone";
  }

  public Uni<List<String>> usersWithChanges(int limit) {
    return pool.preparedQuery(
            "select distinct user_id from memory_cluster where changes > 0 limit $1")
        .execute(Tuple.of(limit))
        .map(rows -> rows.stream().map(r -> r.getString("user_id")).toList());
  }

  public Uni<Void> deleteUser(SqlClient client, String userId) {
    return client
        .preparedQuery("delete from memory_cluster where user_id = $1")
        .execute(Tuple.of(userId))
        .replaceWithVoid();
  }

  static Cluster map(Row r) {
    return new Cluster(
        r.getUUID("id"),
        r.getString("user_id"),
        VectorCodec.fromBytes(r.getBuffer("centroid").getBytes()),
        r.getInteger("size"),
        r.getString("label"),
        r.getDouble("stability"),
        r.getInteger("changes"),
        instant(r.getOffsetDateTime("created_at")),
        instant(r.getOffsetDateTime("updated_at")));
  }
}
