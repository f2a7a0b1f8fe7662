package dev.engram.memory.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.memory.lifecycle.DecayCurve;
import dev.engram.memory.lifecycle.LifecyclePolicy;
import dev.engram.memory.model.Memory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A memory as the API shows it; {@code strength} is the current (decayed) strength, {@code strength
 * = reinforcedStrength · exp(−(now − reinforcedAt) / stabilityDays days)}: {@code
 * reinforcedStrength} is the strength at {@code reinforcedAt}, the last time its trace was set
 * (creation, reinforcement, consolidation, a procedure's outcome), so a client can draw the
 * memory's forgetting curve.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemoryView(
    UUID id,
    MemoryType type,
    MemoryState state,
    String content,
    UUID sessionId,
    UUID sourceMessageId,
    String role,
    Map<String, Object> metadata,
    Double importance,
    double valence,
    double intensity,
    double salience,
    double strength,
    double reinforcedStrength,
    Instant reinforcedAt,
    double stabilityDays,
    long accessCount,
    Instant lastAccessedAt,
    Instant occurredAt,
    Instant createdAt,
    Instant deleteAfter,
    UUID clusterId,
    String task,
    List<String> steps,
    Integer successCount,
    Integer failureCount) {

  public static MemoryView of(Memory m, DecayCurve curve, Instant now) {
    boolean procedural = m.type() == MemoryType.PROCEDURAL;
    return new MemoryView(
        m.id(),
        m.type(),
        m.state(),
        m.content(),
        m.sessionId(),
        m.sourceMessageId(),
        m.role(),
        m.metadata(),
        m.importance(),
        m.valence(),
        m.intensity(),
        m.salience(),
        curve.strengthAt(LifecyclePolicy.trace(m), now),
        m.strength(),
        m.reinforcedAt(),
        m.stabilityDays(),
        m.accessCount(),
        m.lastAccessedAt(),
        m.occurredAt(),
        m.createdAt(),
        m.deleteAfter(),
        m.clusterId(),
        m.task(),
        m.steps(),
        procedural ? m.successCount() : null,
        procedural ? m.failureCount() : null);
  }
}
