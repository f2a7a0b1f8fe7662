package dev.engram.events;

/** The lifecycle state of a long-term memory. */
public enum MemoryState {
  ACTIVE,
  CONSOLIDATED,
  ARCHIVED,
  DECAYED
}
