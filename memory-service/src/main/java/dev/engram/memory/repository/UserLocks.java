package dev.engram.memory.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Collection;

/**
 * A user's lock for the rest of the transaction (a PostgreSQL advisory lock): ingest, the cluster
 * pass, deletions and the lifecycle sweep's deletions of a user's memories take it, so that none of
 * them writes a cluster over another's change.
 */
public final class UserLocks {

  private UserLocks() {}

  public static Uni<Void> lock(SqlClient client, String userId) {
    return client
        .preparedQuery("select pg_advisory_xact_lock(hashtext($1))")
        .execute(Tuple.of(userId))
        .replaceWithVoid();
  }

  /**
   * The locks of several users, taken in one order, before the transaction locks any row (a
   * transaction that holds one user's lock may wait for rows, so rows locked first could deadlock).
   */
  public static Uni<Void> lockAll(SqlClient client, Collection<String> userIds) {
    if (userIds.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return client
        .preparedQuery(
            "select pg_advisory_xact_lock(hashtext(u)) from (select distinct unnest($1::text[]) u"
                + " order by u) users")
        .execute(Tuple.of(userIds.toArray(String[]::new)))
        .replaceWithVoid();
  }
}
