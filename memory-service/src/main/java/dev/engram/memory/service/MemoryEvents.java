package dev.engram.memory.service;

import dev.engram.events.CloudEvent;
import dev.engram.events.ClusterChange;
import dev.engram.events.ClusterChanged;
import dev.engram.events.EventData;
import dev.engram.events.FactExtracted;
import dev.engram.events.MemoryArchived;
import dev.engram.events.MemoryConsolidated;
import dev.engram.events.MemoryCreated;
import dev.engram.events.MemoryDecayed;
import dev.engram.events.MemoryReinforced;
import dev.engram.events.ReinforcementReason;
import dev.engram.events.Sources;
import dev.engram.memory.model.Cluster;
import dev.engram.memory.model.Fact;
import dev.engram.memory.model.Memory;
import dev.engram.memory.model.TraceUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds the CloudEvents memory-service publishes on {@code engram.memories}. */
@ApplicationScoped
public class MemoryEvents {

  private final Clock clock;

  public MemoryEvents(Clock clock) {
    this.clock = clock;
  }

  private <T extends EventData> CloudEvent<T> event(String userId, T data) {
    return CloudEvent.of(
        UUID.randomUUID().toString(), Sources.MEMORY_SERVICE, clock.instant(), userId, data);
  }

  public CloudEvent<MemoryCreated> created(Memory m) {
    return event(
        m.userId(),
        new MemoryCreated(
            m.id(),
            m.type(),
            m.content(),
            m.sessionId(),
            m.sourceMessageId(),
            m.salience(),
            m.strength(),
            m.state(),
            m.clusterId(),
            m.occurredAt(),
            m.createdAt()));
  }

  public CloudEvent<MemoryReinforced> reinforced(
      String userId, TraceUpdate u, ReinforcementReason reason) {
    return event(
        userId,
        new MemoryReinforced(u.id(), reason, u.strength(), u.accessCount(), u.reinforcedAt()));
  }

  public CloudEvent<MemoryConsolidated> consolidated(String userId, UUID id, double strength) {
    return event(userId, new MemoryConsolidated(id, strength, clock.instant()));
  }

  public CloudEvent<MemoryDecayed> decayed(
      String userId, UUID id, double strength, Instant deleteAfter) {
    return event(userId, new MemoryDecayed(id, strength, clock.instant(), deleteAfter));
  }

  public CloudEvent<MemoryArchived> archived(String userId, UUID id) {
    return event(userId, new MemoryArchived(id, clock.instant()));
  }

  public CloudEvent<FactExtracted> fact(Fact f, UUID supersededFactId) {
    return event(
        f.userId(),
        new FactExtracted(
            f.id(),
            f.memoryId(),
            f.category(),
            f.subject(),
            f.predicate(),
            f.object(),
            f.confidence(),
            f.sourceMessageId(),
            supersededFactId,
            f.validFrom()));
  }

  public CloudEvent<ClusterChanged> cluster(Cluster c, ClusterChange change, List<UUID> related) {
    return event(
        c.userId(),
        new ClusterChanged(
            c.id(), change, c.label(), c.size(), c.stability(), related, clock.instant()));
  }
}
