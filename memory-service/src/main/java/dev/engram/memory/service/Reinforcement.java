package dev.engram.memory.service;

import dev.engram.memory.lifecycle.DecayCurve;
import dev.engram.memory.lifecycle.LifecyclePolicy;
import dev.engram.memory.model.Memory;
import dev.engram.memory.model.TraceUpdate;
import java.time.Instant;

/**
 * What a reinforcement (retrieval, repetition, explicit) does to a memory: the decay curve's
 * reinforcement step, one more access, and revival of a DECAYED or ARCHIVED memory.
 */
final class Reinforcement {

  private Reinforcement() {}

  static TraceUpdate apply(DecayCurve curve, Memory m, Instant now) {
    DecayCurve.Trace trace = curve.reinforce(LifecyclePolicy.trace(m), now);
    var state = LifecyclePolicy.afterReinforcement(m.state());
    return new TraceUpdate(
        m.id(),
        state,
        trace.strength(),
        trace.stabilityDays(),
        trace.anchor(),
        m.accessCount() + 1,
        now,
        curve.forgetAt(trace),
        null,
        state == m.state() ? m.stateChangedAt() : now);
  }

  /** A failed procedure loses {@link #FAILURE_PENALTY} of its current strength. */
  static final double FAILURE_PENALTY = 0.2;

  static TraceUpdate weaken(DecayCurve curve, Memory m, Instant now) {
    double current = curve.strengthAt(LifecyclePolicy.trace(m), now);
    DecayCurve.Trace trace =
        new DecayCurve.Trace(current * (1 - FAILURE_PENALTY), m.stabilityDays(), now);
    return new TraceUpdate(
        m.id(),
        m.state(),
        trace.strength(),
        trace.stabilityDays(),
        now,
        m.accessCount() + 1,
        now,
        curve.forgetAt(trace),
        m.deleteAfter(),
        m.stateChangedAt());
  }

  /** The memory as it is after the update. */
  static Memory updated(Memory m, TraceUpdate u) {
    return new Memory(
        m.id(),
        m.userId(),
        m.type(),
        u.state(),
        m.content(),
        m.sessionId(),
        m.sourceMessageId(),
        m.role(),
        m.sequence(),
        m.metadata(),
        m.importance(),
        m.valence(),
        m.intensity(),
        m.salience(),
        u.strength(),
        u.stabilityDays(),
        u.accessCount(),
        u.lastAccessedAt(),
        u.reinforcedAt(),
        m.occurredAt(),
        m.createdAt(),
        u.stateChangedAt(),
        u.deleteAfter(),
        m.clusterId(),
        m.task(),
        m.steps(),
        m.successCount(),
        m.failureCount());
  }
}
