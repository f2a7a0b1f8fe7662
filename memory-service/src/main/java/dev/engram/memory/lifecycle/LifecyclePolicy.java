package dev.engram.memory.lifecycle;

import dev.engram.events.MemoryState;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.model.Memory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The lifecycle transitions a sweep applies:
 *
 * <ul>
 *   <li>ACTIVE → DECAYED when the strength fell below the forgetting threshold (kept for the grace
 *       period, during which a reinforcement revives it);
 *   <li>ACTIVE → CONSOLIDATED when it was reinforced often enough or was salient, once it is old
 *       enough;
 *   <li>CONSOLIDATED → ARCHIVED when not accessed for {@code archiveAfter};
 *   <li>DECAYED → deleted when the grace period is over.
 * </ul>
 */
public final class LifecyclePolicy {

  /** What happens to a memory: a new state, or deletion ({@code state} null). */
  public record Transition(MemoryState state, Instant deleteAfter) {
    public boolean delete() {
      return state == null;
    }
  }

  private final DecayCurve curve;
  private final Duration grace;
  private final int consolidateAccesses;
  private final double consolidateSalience;
  private final Duration consolidateMinAge;
  private final Duration archiveAfter;

  public LifecyclePolicy(
      DecayCurve curve,
      Duration grace,
      int consolidateAccesses,
      double consolidateSalience,
      Duration consolidateMinAge,
      Duration archiveAfter) {
    this.curve = curve;
    this.grace = grace;
    this.consolidateAccesses = consolidateAccesses;
    this.consolidateSalience = consolidateSalience;
    this.consolidateMinAge = consolidateMinAge;
    this.archiveAfter = archiveAfter;
  }

  public static LifecyclePolicy from(MemoryConfig.Lifecycle c) {
    return new LifecyclePolicy(
        DecayCurve.from(c),
        c.gracePeriod(),
        c.consolidateAccesses(),
        c.consolidateSalience(),
        c.consolidateMinAge(),
        c.archiveAfter());
  }

  public DecayCurve curve() {
    return curve;
  }

  public Duration grace() {
    return grace;
  }

  public int consolidateAccesses() {
    return consolidateAccesses;
  }

  public double consolidateSalience() {
    return consolidateSalience;
  }

  public Duration consolidateMinAge() {
    return consolidateMinAge;
  }

  public Duration archiveAfter() {
    return archiveAfter;
  }

  /** The transition due for {@code memory} at {@code now}, if any. */
  public Optional<Transition> next(Memory memory, Instant now) {
    return switch (memory.state()) {
      case ACTIVE -> fromActive(memory, now);
      case CONSOLIDATED -> {
        Instant lastUse =
            memory.lastAccessedAt() != null ? memory.lastAccessedAt() : memory.stateChangedAt();
        yield lastUse.plus(archiveAfter).isAfter(now)
            ? Optional.empty()
            : Optional.of(new Transition(MemoryState.ARCHIVED, null));
      }
      case DECAYED ->
          memory.deleteAfter() != null && !memory.deleteAfter().isAfter(now)
              ? Optional.of(new Transition(null, null))
              : Optional.empty();
      case ARCHIVED -> Optional.empty();
    };
  }

  private Optional<Transition> fromActive(Memory memory, Instant now) {
    DecayCurve.Trace trace = trace(memory);
    if (curve.strengthAt(trace, now) < curve.forgetThreshold()) {
      return Optional.of(new Transition(MemoryState.DECAYED, now.plus(grace)));
    }
    boolean earned =
        memory.accessCount() >= consolidateAccesses || memory.salience() >= consolidateSalience;
    boolean oldEnough = !memory.createdAt().plus(consolidateMinAge).isAfter(now);
    return earned && oldEnough
        ? Optional.of(new Transition(MemoryState.CONSOLIDATED, null))
        : Optional.empty();
  }

  /** The decay trace stored with a memory. */
  public static DecayCurve.Trace trace(Memory memory) {
    return new DecayCurve.Trace(memory.strength(), memory.stabilityDays(), memory.reinforcedAt());
  }

  /** The state a reinforcement leaves a memory in: it revives DECAYED and ARCHIVED memories. */
  public static MemoryState afterReinforcement(MemoryState state) {
    return switch (state) {
      case DECAYED -> MemoryState.ACTIVE;
      case ARCHIVED -> MemoryState.CONSOLIDATED;
      default -> state;
    };
  }
}
