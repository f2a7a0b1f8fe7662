package dev.engram.memory.index;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import java.time.Instant;
import java.util.UUID;

/** One memory as the index holds it: what a scan needs to score and filter it. */
public record VectorEntry(
    UUID id,
    MemoryType type,
    MemoryState state,
    Instant occurredAt,
    UUID sessionId,
    float[] vector,
    TermCounts terms) {

  /** A memory without lexical terms (found by dense search only). */
  public VectorEntry(
      UUID id,
      MemoryType type,
      MemoryState state,
      Instant occurredAt,
      UUID sessionId,
      float[] vector) {
    this(id, type, state, occurredAt, sessionId, vector, TermCounts.NONE);
  }
}
