package dev.engram.memory.service;

import dev.engram.memory.index.ScoredId;
import dev.engram.memory.repository.ClusterRepository;
import dev.engram.memory.repository.FactRepository;
import dev.engram.memory.repository.MemoryRepository;
import dev.engram.memory.repository.OutboxRepository;
import dev.engram.memory.repository.ProcessedEventRepository;
import dev.engram.memory.repository.UserLocks;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes one user's ingest in one transaction: under a per-user advisory lock it drops events
 * already applied, plans against the user's current clusters and facts, and stores memories, facts,
 * clusters, reinforcements, the processed event ids and the outbox events together.
 */
@ApplicationScoped
public class IngestWriter {

  private final MemoryRepository memories;
  private final FactRepository facts;
  private final ClusterRepository clusters;
  private final Stores stores;
  private final IngestPlanner planner;

  /** The small tables every writer touches, grouped to keep constructors short. */
  @jakarta.inject.Singleton
  public static class Stores {
    final OutboxRepository outbox;
    final ProcessedEventRepository processed;
    final Clock clock;

    public Stores(OutboxRepository outbox, ProcessedEventRepository processed, Clock clock) {
      this.outbox = outbox;
      this.processed = processed;
      this.clock = clock;
    }
  }

  public IngestWriter(
      MemoryRepository memories,
      FactRepository facts,
      ClusterRepository clusters,
      Stores stores,
      IngestPlanner planner) {
    this.memories = memories;
    this.facts = facts;
    this.clusters = clusters;
    this.stores = stores;
    this.planner = planner;
  }

  /** Stores the items (those not applied before); the plan written, or null if nothing was. */
  Uni<IngestPlan> write(String userId, List<Prepared> items, String traceparent) {
    return memories.pool().withTransaction(c -> write(c, userId, items, traceparent));
  }

  private Uni<IngestPlan> write(
      SqlConnection c, String userId, List<Prepared> items, String traceparent) {
    List<String> eventIds =
        items.stream().map(p -> p.memory().sourceEventId()).filter(Objects::nonNull).toList();
    return UserLocks.lock(c, userId)
        .chain(() -> stores.processed.seen(c, eventIds))
        .chain(
            seen -> {
              List<Prepared> fresh = unseen(items, seen);
              if (fresh.isEmpty()) {
                return Uni.createFrom().nullItem();
              }
              List<java.util.UUID> repeatedIds =
                  fresh.stream()
                      .map(Prepared::nearest)
                      .filter(n -> n != null && n.score() >= planner.repetitionSimilarity())
                      .map(ScoredId::id)
                      .distinct()
                      .toList();
              return clusters
                  .forUser(c, userId)
                  .flatMap(
                      userClusters ->
                          facts
                              .currentForUpdate(c, userId)
                              .flatMap(
                                  current ->
                                      memories
                                          .findAll(c, userId, repeatedIds)
                                          .map(
                                              repeated ->
                                                  planner.plan(
                                                      userId,
                                                      fresh,
                                                      userClusters,
                                                      current,
                                                      new HashMap<>(repeated)))))
                  .call(plan -> store(c, userId, plan, traceparent));
            });
  }

  private static List<Prepared> unseen(List<Prepared> items, Set<String> seen) {
    return items.stream()
        .filter(
            p -> p.memory().sourceEventId() == null || !seen.contains(p.memory().sourceEventId()))
        .toList();
  }

  private Uni<Void> store(SqlConnection c, String userId, IngestPlan plan, String traceparent) {
    var now = stores.clock.instant();
    return clusters
        .upsert(c, plan.clusters)
        .chain(() -> memories.insert(c, plan.memories).invoke(plan.terms::putAll))
        .chain(() -> facts.insert(c, plan.newFacts))
        .chain(
            () ->
                io.smallrye.mutiny.Multi.createFrom()
                    .iterable(plan.confirmations)
                    .onItem()
                    .transformToUniAndConcatenate(
                        f -> facts.confirm(c, f.factId(), f.confidence(), now))
                    .collect()
                    .last())
        .chain(
            () ->
                io.smallrye.mutiny.Multi.createFrom()
                    .iterable(plan.closings)
                    .onItem()
                    .transformToUniAndConcatenate(
                        f -> facts.close(c, f.factId(), f.supersededBy(), f.validTo(), now))
                    .collect()
                    .last())
        .chain(() -> memories.archive(c, plan.archived, now))
        .chain(() -> memories.updateTraces(c, plan.traceUpdates))
        .chain(() -> stores.processed.record(c, userId, plan.eventIds))
        .chain(() -> stores.outbox.add(c, plan.events, traceparent));
  }
}
