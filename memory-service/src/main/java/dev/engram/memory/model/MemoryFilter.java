package dev.engram.memory.model;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.memory.index.VectorFilter;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Which of a user's memories a list or a search considers. */
public record MemoryFilter(
    Set<MemoryType> types, Set<MemoryState> states, UUID sessionId, Instant from, Instant to) {

  public MemoryFilter {
    types = types == null || types.isEmpty() ? Set.of(MemoryType.values()) : Set.copyOf(types);
    states = states == null || states.isEmpty() ? Set.of(MemoryState.values()) : Set.copyOf(states);
  }

  /** The same filter for a scan of the in-memory vectors. */
  public VectorFilter toVectorFilter() {
    return new VectorFilter(
        VectorFilter.typeMask(types),
        VectorFilter.stateMask(states),
        sessionId,
        from == null ? Long.MIN_VALUE : from.toEpochMilli(),
        to == null ? Long.MAX_VALUE : to.toEpochMilli());
  }
}
