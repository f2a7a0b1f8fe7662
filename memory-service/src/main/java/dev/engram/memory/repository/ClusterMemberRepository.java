package dev.engram.memory.repository;

import dev.engram.memory.cluster.ClusterPass;
import dev.engram.memory.index.VectorCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Cluster membership of memories. */
@ApplicationScoped
public class ClusterMemberRepository {

  public Uni<List<ClusterPass.Member>> members(SqlClient client, String userId) {
    return client
        .preparedQuery(
            "select id, cluster_id, embedding, search_text from memory where user_id = $1 and"
                + " cluster_id is not null")
        .execute(Tuple.of(userId))
        .map(rows -> rows.stream().map(ClusterMemberRepository::map).toList());
  }

  public Uni<Void> move(SqlClient client, Map<UUID, UUID> moved) {
    if (moved.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return client
        .preparedQuery("update memory set cluster_id = $2 where id = $1")
        .executeBatch(
            moved.entrySet().stream().map(e -> Tuple.of(e.getKey(), e.getValue())).toList())
        .replaceWithVoid();
  }

  private static ClusterPass.Member map(Row r) {
    return new ClusterPass.Member(
        r.getUUID("id"),
        r.getUUID("cluster_id"),
        VectorCodec.fromBytes(r.getBuffer("embedding").getBytes()),
        r.getString("search_text"));
  }
}
