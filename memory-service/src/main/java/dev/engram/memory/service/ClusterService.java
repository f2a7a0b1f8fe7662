package dev.engram.memory.service;

import dev.engram.events.CloudEvent;
import dev.engram.memory.cluster.ClusterPass;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.model.Cluster;
import dev.engram.memory.repository.ClusterMemberRepository;
import dev.engram.memory.repository.ClusterRepository;
import dev.engram.memory.repository.UserLocks;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the {@link ClusterPass} periodically for users whose clusters changed, each user in one
 * transaction (under the user's ingest lock) with its {@code cluster.changed} events.
 */
@ApplicationScoped
public class ClusterService {

  private static final int USERS_PER_RUN = 50;

  private final ClusterRepository clusters;
  private final ClusterMemberRepository members;
  private final IngestWriter.Stores stores;
  private final MemoryEvents events;
  private final ClusterPass pass;
  private final VectorIndex index;

  // six dependencies: the index must hear of every change to a memory (its cluster here)
  public ClusterService(
      ClusterRepository clusters,
      ClusterMemberRepository members,
      IngestWriter.Stores stores,
      MemoryEvents events,
      MemoryConfig config,
      VectorIndex index) {
    this.index = index;
    this.clusters = clusters;
    this.members = members;
    this.stores = stores;
    this.events = events;
    MemoryConfig.Clusters c = config.clusters();
    this.pass =
        new ClusterPass(c.mergeThreshold(), c.splitThreshold(), c.minSplitSize(), c.labelTerms());
  }

  @Scheduled(
      every = "${engram.memory.clusters.pass-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduledPass() {
    return clusters
        .usersWithChanges(USERS_PER_RUN)
        .flatMap(
            users ->
                Multi.createFrom()
                    .iterable(users)
                    .onItem()
                    .transformToUniAndConcatenate(this::run)
                    .collect()
                    .last())
        .replaceWithVoid();
  }

  /** The pass for one user; returns the changes announced. */
  public Uni<List<ClusterPass.Change>> run(String userId) {
    return clusters
        .pool()
        .withTransaction(
            c ->
                UserLocks.lock(c, userId)
                    .chain(() -> clusters.forUser(c, userId))
                    .flatMap(
                        current ->
                            members
                                .members(c, userId)
                                .map(m -> pass.run(userId, current, m, stores.clock.instant())))
                    .call(
                        result ->
                            clusters
                                .delete(c, result.removed())
                                .chain(() -> clusters.upsert(c, result.clusters()))
                                .chain(() -> members.move(c, result.moved()))
                                .chain(
                                    () ->
                                        stores.outbox.add(
                                            c, announce(userId, result, current(result)), null))))
        .call(
            result ->
                result.moved().isEmpty() ? Uni.createFrom().voidItem() : index.rowsChanged(userId))
        .map(ClusterPass.Result::changes);
  }

  private static Map<UUID, Cluster> current(ClusterPass.Result result) {
    Map<UUID, Cluster> byId = new HashMap<>();
    result.clusters().forEach(c -> byId.put(c.id(), c));
    return byId;
  }

  private List<CloudEvent<?>> announce(
      String userId, ClusterPass.Result result, Map<UUID, Cluster> byId) {
    List<CloudEvent<?>> out = new ArrayList<>();
    for (ClusterPass.Change change : result.changes()) {
      Cluster c = byId.get(change.clusterId());
      if (c == null) {
        c = new Cluster(change.clusterId(), userId, new float[0], 0, "", 0, 0, null, null);
      }
      out.add(events.cluster(c, change.change(), change.related()));
    }
    return out;
  }
}
