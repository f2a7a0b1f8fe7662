package dev.engram.broker.pool;

import java.util.Collection;

/** How many instances are in each phase. */
public record PoolCounts(int warm, int starting, int bound, int failing, int terminating) {

  public static PoolCounts of(Collection<Instance> instances) {
    int[] counts = new int[InstancePhase.values().length];
    instances.forEach(i -> counts[i.phase().ordinal()]++);
    return new PoolCounts(
        counts[InstancePhase.WARM.ordinal()],
        counts[InstancePhase.STARTING.ordinal()],
        counts[InstancePhase.BOUND.ordinal()],
        counts[InstancePhase.FAILING.ordinal()],
        counts[InstancePhase.TERMINATING.ordinal()]);
  }

  /** Instances that count against the maximum (everything not on its way out). */
  public int live() {
    return warm + starting + bound + failing;
  }
}
