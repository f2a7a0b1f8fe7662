package dev.engram.memory.index;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import java.util.Collection;
import java.util.UUID;

/**
 * Which rows of a user's vectors a scan considers: bit masks of types and states, an optional
 * session, and an occurred-at window in epoch milliseconds.
 */
public record VectorFilter(
    int typeMask, int stateMask, UUID sessionId, long fromMillis, long toMillis) {

  /** Every memory that default search considers: ACTIVE and CONSOLIDATED, of any type. */
  public static VectorFilter live() {
    return new VectorFilter(
        all(MemoryType.values().length),
        bit(MemoryState.ACTIVE) | bit(MemoryState.CONSOLIDATED),
        null,
        Long.MIN_VALUE,
        Long.MAX_VALUE);
  }

  public static int typeMask(Collection<MemoryType> types) {
    int mask = 0;
    for (MemoryType type : types) {
      mask |= 1 << type.ordinal();
    }
    return mask;
  }

  public static int stateMask(Collection<MemoryState> states) {
    int mask = 0;
    for (MemoryState state : states) {
      mask |= bit(state);
    }
    return mask;
  }

  static int bit(MemoryState state) {
    return 1 << state.ordinal();
  }

  static int all(int count) {
    return (1 << count) - 1;
  }

  boolean accepts(byte type, byte state, long occurredAt, long sessionHi, long sessionLo) {
    if ((typeMask & (1 << type)) == 0 || (stateMask & (1 << state)) == 0) {
      return false;
    }
    if (occurredAt < fromMillis || occurredAt > toMillis) {
      return false;
    }
    return sessionId == null
        || (sessionId.getMostSignificantBits() == sessionHi
            && sessionId.getLeastSignificantBits() == sessionLo);
  }
}
