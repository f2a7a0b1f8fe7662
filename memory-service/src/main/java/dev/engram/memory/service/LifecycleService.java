package dev.engram.memory.service;

import dev.engram.events.CloudEvent;
import dev.engram.events.MemoryState;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.lifecycle.DecayCurve;
import dev.engram.memory.lifecycle.LifecyclePolicy;
import dev.engram.memory.model.Memory;
import dev.engram.memory.model.TraceUpdate;
import dev.engram.memory.repository.LifecycleRepository;
import dev.engram.memory.repository.MemoryRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The scheduled sweep: in bounded batches, applies the transitions {@link LifecyclePolicy} says are
 * due (decay, consolidation, archival, deletion after the grace period), each batch in one
 * transaction with its {@code memory.decayed/consolidated/archived} events, then updates the vector
 * index. {@link LifecyclePass} runs it on schedule.
 */
@ApplicationScoped
public class LifecycleService {

  private final MemoryRepository memories;
  private final LifecycleRepository lifecycle;
  private final IngestWriter.Stores stores;
  private final MemoryEvents events;
  private final VectorIndex index;
  private final LifecyclePolicy policy;
  private final MemoryConfig.Lifecycle config;
  private final MeterRegistry registry;

  public LifecycleService(
      MemoryRepository memories,
      LifecycleRepository lifecycle,
      IngestWriter.Stores stores,
      MemoryEvents events,
      VectorIndex index,
      MemoryConfig config,
      MeterRegistry registry) {
    this.memories = memories;
    this.lifecycle = lifecycle;
    this.stores = stores;
    this.events = events;
    this.index = index;
    this.config = config.lifecycle();
    this.policy = LifecyclePolicy.from(this.config);
    this.registry = registry;
  }

  /** One batch's changes. */
  private record Batch(
      int examined,
      List<TraceUpdate> updates,
      List<Memory> deleted,
      List<CloudEvent<?>> events,
      Map<String, Long> counts,
      Map<UUID, String> owners) {}

  /** Runs up to {@code sweep-max-batches} batches; returns the number of transitions applied. */
  public Uni<Integer> sweep() {
    return Multi.createBy()
        .repeating()
        .uni(this::batch)
        // a full batch that changed something (deletions too) may have more behind it
        .whilst(
            b ->
                b.examined() == config.sweepBatch()
                    && !(b.updates().isEmpty() && b.deleted().isEmpty()))
        .select()
        .first(config.sweepMaxBatches())
        .map(b -> b.updates().size() + b.deleted().size())
        .collect()
        .with(java.util.stream.Collectors.summingInt(Integer::intValue));
  }

  private Uni<Batch> batch() {
    Instant now = stores.clock.instant();
    return memories
        .pool()
        .withTransaction(
            c ->
                lifecycle
                    .candidates(c, policy, now, config.sweepBatch())
                    .flatMap(
                        candidates -> {
                          Batch batch = plan(candidates, now);
                          return memories
                              .updateTraces(c, batch.updates())
                              .chain(
                                  () ->
                                      lifecycle.delete(
                                          c, batch.deleted().stream().map(Memory::id).toList()))
                              .chain(() -> lifecycle.count(c, batch.counts(), now))
                              .chain(() -> stores.outbox.add(c, batch.events(), null))
                              .replaceWith(batch);
                        }))
        .call(this::applyToIndex)
        .invoke(this::countTransitions);
  }

  private Batch plan(List<Memory> candidates, Instant now) {
    DecayCurve curve = policy.curve();
    List<TraceUpdate> updates = new ArrayList<>();
    List<Memory> deleted = new ArrayList<>();
    List<CloudEvent<?>> published = new ArrayList<>();
    Map<String, Long> counts = new HashMap<>();
    Map<UUID, String> owners = new HashMap<>();
    for (Memory m : candidates) {
      var transition = policy.next(m, now);
      if (transition.isEmpty()) {
        continue;
      }
      var t = transition.get();
      if (t.delete()) {
        deleted.add(m);
        counts.merge(m.userId() + "|DELETED", 1L, Long::sum);
        continue;
      }
      DecayCurve.Trace trace = LifecyclePolicy.trace(m);
      if (t.state() == MemoryState.CONSOLIDATED) {
        trace = curve.consolidate(trace, now);
      }
      updates.add(
          new TraceUpdate(
              m.id(),
              t.state(),
              trace.strength(),
              trace.stabilityDays(),
              trace.anchor(),
              m.accessCount(),
              m.lastAccessedAt(),
              curve.forgetAt(trace),
              t.deleteAfter(),
              now));
      counts.merge(m.userId() + "|" + t.state().name(), 1L, Long::sum);
      owners.put(m.id(), m.userId());
      double strength = curve.strengthAt(trace, now);
      published.add(
          switch (t.state()) {
            case DECAYED -> events.decayed(m.userId(), m.id(), strength, t.deleteAfter());
            case CONSOLIDATED -> events.consolidated(m.userId(), m.id(), strength);
            default -> events.archived(m.userId(), m.id());
          });
    }
    return new Batch(candidates.size(), updates, deleted, published, counts, owners);
  }

  private Uni<Void> applyToIndex(Batch batch) {
    return Multi.createFrom()
        .iterable(users(batch))
        .onItem()
        .transformToUniAndConcatenate(
            user ->
                index.changed(
                    user,
                    v -> {
                      batch.updates().stream()
                          .filter(u -> user.equals(batch.owners().get(u.id())))
                          .forEach(u -> v.state(u.id(), u.state()));
                      v.remove(
                          batch.deleted().stream()
                              .filter(m -> user.equals(m.userId()))
                              .map(Memory::id)
                              .toList());
                    }))
        .collect()
        .last()
        .replaceWithVoid();
  }

  private static java.util.Set<String> users(Batch batch) {
    java.util.Set<String> users = new java.util.HashSet<>();
    batch.counts().keySet().forEach(k -> users.add(k.split("\\|", 2)[0]));
    return users;
  }

  private void countTransitions(Batch batch) {
    batch
        .counts()
        .forEach(
            (key, n) ->
                registry
                    .counter("engram.memory.lifecycle.transitions", "to", key.split("\\|", 2)[1])
                    .increment(n));
  }
}
