package dev.engram.events;

/** The kind of a long-term memory. */
public enum MemoryType {
  EPISODIC,
  SEMANTIC,
  PROCEDURAL
}
