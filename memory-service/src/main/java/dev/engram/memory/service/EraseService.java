package dev.engram.memory.service;

import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.repository.ClusterRepository;
import dev.engram.memory.repository.FactRepository;
import dev.engram.memory.repository.MemoryRepository;
import dev.engram.memory.repository.StrengthHistoryRepository;
import dev.engram.memory.repository.UserLocks;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Erases a user: memories (with their vectors), facts, clusters, unsent events, lifecycle counters,
 * the strength history and the ids of the user's events already applied in one transaction, then
 * the caches. Forgetting those ids is safe: the user's events are ordered in one partition, so an
 * event of theirs delivered again (a crash before the offsets were committed) comes before this
 * erasure's own event, which is applied again after it (an erasure is not recorded as applied). If
 * Redis cannot be reached the erasure of its copy is recorded and retried until it succeeds.
 * Publishes nothing.
 */
@ApplicationScoped
public class EraseService {

  private static final Logger LOG = Logger.getLogger(EraseService.class);

  private final MemoryRepository memories;
  private final FactRepository facts;
  private final ClusterRepository clusters;
  private final IngestWriter.Stores stores;
  private final VectorIndex index;

  public EraseService(
      MemoryRepository memories,
      FactRepository facts,
      ClusterRepository clusters,
      IngestWriter.Stores stores,
      VectorIndex index) {
    this.memories = memories;
    this.facts = facts;
    this.clusters = clusters;
    this.stores = stores;
    this.index = index;
  }

  public Uni<Void> erase(String userId) {
    return memories
        .pool()
        .withTransaction(
            c ->
                UserLocks.lock(c, userId)
                    .chain(() -> facts.deleteUser(c, userId))
                    .chain(() -> memories.deleteUser(c, userId))
                    .chain(() -> clusters.deleteUser(c, userId))
                    .chain(() -> stores.outbox.deleteUser(c, userId))
                    .chain(() -> stores.processed.deleteUser(c, userId))
                    .chain(
                        () ->
                            c.preparedQuery("delete from lifecycle_stat where user_id = $1")
                                .execute(Tuple.of(userId)))
                    .chain(() -> StrengthHistoryRepository.deleteUser(c, userId))
                    .chain(
                        () ->
                            c.preparedQuery(
                                    "insert into cache_erasure (user_id, requested_at) values ($1,"
                                        + " now()) on conflict (user_id) do nothing")
                                .execute(Tuple.of(userId))))
        .chain(() -> forgetCaches(userId))
        .invoke(() -> LOG.infof("Erased the memories of a user"));
  }

  private Uni<Void> forgetCaches(String userId) {
    return index
        .forget(userId)
        .chain(
            forgotten ->
                forgotten
                    ? memories
                        .pool()
                        .preparedQuery("delete from cache_erasure where user_id = $1")
                        .execute(Tuple.of(userId))
                        .replaceWithVoid()
                    : Uni.createFrom().voidItem());
  }

  /** Retries cache erasures that Redis missed. */
  @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> retryCacheErasures() {
    return memories
        .pool()
        .query("select user_id from cache_erasure limit 100")
        .execute()
        .flatMap(
            rows ->
                io.smallrye.mutiny.Multi.createFrom()
                    .iterable(rows)
                    .onItem()
                    .transformToUniAndConcatenate(r -> forgetCaches(r.getString("user_id")))
                    .collect()
                    .last()
                    .replaceWithVoid());
  }
}
