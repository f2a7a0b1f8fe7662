package dev.engram.memory.service;

import dev.engram.events.CloudEvent;
import dev.engram.events.ReinforcementReason;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.lifecycle.DecayCurve;
import dev.engram.memory.model.Memory;
import dev.engram.memory.model.MemoryFilter;
import dev.engram.memory.model.TraceUpdate;
import dev.engram.memory.repository.MemoryRepository;
import dev.engram.memory.repository.OutboxRepository;
import dev.engram.memory.repository.UserLocks;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reading, deleting and reinforcing a user's memories. */
@ApplicationScoped
public class MemoryService {

  private final MemoryRepository repository;
  private final OutboxRepository outbox;
  private final MemoryEvents events;
  private final VectorIndex index;
  private final Clock clock;
  private final DecayCurve curve;

  public MemoryService(
      MemoryRepository repository,
      IngestWriter.Stores stores,
      MemoryEvents events,
      VectorIndex index,
      MemoryConfig config) {
    this.repository = repository;
    this.outbox = stores.outbox;
    this.clock = stores.clock;
    this.events = events;
    this.index = index;
    this.curve = DecayCurve.from(config.lifecycle());
  }

  public DecayCurve curve() {
    return curve;
  }

  public Instant now() {
    return clock.instant();
  }

  public Uni<Optional<Memory>> find(String userId, UUID id) {
    return repository.find(userId, id);
  }

  public Uni<List<Memory>> list(
      String userId, MemoryFilter filter, Instant afterCreated, UUID afterId, int limit) {
    return repository.list(userId, filter, afterCreated, afterId, limit);
  }

  /** The most recent members of a cluster. */
  public Uni<List<Memory>> members(String userId, UUID clusterId, int limit) {
    return repository.members(userId, clusterId, limit);
  }

  public Uni<Boolean> delete(String userId, UUID id) {
    return repository
        .pool()
        // the user's lock: ingest and the cluster pass must not write over the shrunk cluster
        .withTransaction(
            c -> UserLocks.lock(c, userId).chain(() -> repository.delete(c, userId, id)))
        .call(
            deleted -> deleted ? index.removed(userId, List.of(id)) : Uni.createFrom().voidItem());
  }

  /** Reinforces one memory; empty if the user has no such memory. */
  public Uni<Optional<Memory>> reinforce(String userId, UUID id, ReinforcementReason reason) {
    return reinforce(userId, List.of(id), reason, null)
        .map(updated -> updated.stream().findFirst());
  }

  /**
   * Reinforces memories (retrieval, repetition, explicit): the decay curve's reinforcement step,
   * revival of DECAYED/ARCHIVED ones, a {@code memory.reinforced} event each.
   */
  public Uni<List<Memory>> reinforce(
      String userId, List<UUID> ids, ReinforcementReason reason, String traceparent) {
    // as PostgreSQL keeps it, so the rows kept in L1 are the rows stored
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    long rows = index.rowsGeneration(userId);
    return repository
        .pool()
        .withTransaction(
            c ->
                repository
                    .findAll(c, userId, ids)
                    .flatMap(
                        found -> {
                          List<TraceUpdate> updates = new ArrayList<>();
                          List<CloudEvent<?>> published = new ArrayList<>();
                          List<Memory> result = new ArrayList<>();
                          for (UUID id : ids) {
                            Memory m = found.get(id);
                            if (m != null) {
                              TraceUpdate u = Reinforcement.apply(curve, m, now);
                              updates.add(u);
                              published.add(events.reinforced(userId, u, reason));
                              result.add(Reinforcement.updated(m, u));
                            }
                          }
                          return repository
                              .updateTraces(c, updates)
                              .chain(() -> outbox.add(c, published, traceparent))
                              .replaceWith(new Changed(result, found));
                        }))
        .call(changed -> applyStates(userId, changed, rows))
        .map(Changed::result);
  }

  /**
   * Records the outcome of following a procedure: success reinforces it, failure weakens it; empty
   * if the user has no such PROCEDURAL memory.
   */
  public Uni<Optional<Memory>> recordOutcome(String userId, UUID id, boolean success) {
    Instant now = clock.instant();
    return repository
        .pool()
        .withTransaction(
            c ->
                repository
                    .findAll(c, userId, List.of(id))
                    .flatMap(
                        found -> {
                          Memory m = found.get(id);
                          if (m == null || m.type() != dev.engram.events.MemoryType.PROCEDURAL) {
                            return Uni.createFrom().item(Optional.<Memory>empty());
                          }
                          TraceUpdate u =
                              success
                                  ? Reinforcement.apply(curve, m, now)
                                  : Reinforcement.weaken(curve, m, now);
                          var reason =
                              success
                                  ? ReinforcementReason.PROCEDURE_SUCCESS
                                  : ReinforcementReason.PROCEDURE_FAILURE;
                          return repository
                              .updateTraces(c, List.of(u))
                              .chain(() -> repository.countOutcome(c, id, success))
                              .chain(
                                  () ->
                                      outbox.add(
                                          c, List.of(events.reinforced(userId, u, reason)), null))
                              .chain(() -> repository.findAll(c, userId, List.of(id)))
                              .map(after -> Optional.of(after.get(id)));
                        }))
        .call(
            outcome ->
                outcome.isPresent() ? index.rowsChanged(userId) : Uni.createFrom().voidItem());
  }

  private record Changed(List<Memory> result, Map<UUID, Memory> before) {}

  private Uni<Void> applyStates(String userId, Changed changed, long rowsGeneration) {
    List<Memory> revived =
        changed.result().stream()
            .filter(m -> changed.before().get(m.id()).state() != m.state())
            .toList();
    if (revived.isEmpty()) {
      if (changed.result().isEmpty()) {
        return Uni.createFrom().voidItem();
      }
      Map<UUID, Memory> current = new HashMap<>();
      changed.result().forEach(m -> current.put(m.id(), m));
      return index.rowsChanged(userId, rowsGeneration, current);
    }
    return index.changed(userId, v -> revived.forEach(m -> v.state(m.id(), m.state())));
  }
}
