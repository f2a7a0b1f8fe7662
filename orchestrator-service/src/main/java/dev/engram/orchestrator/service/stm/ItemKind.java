package dev.engram.orchestrator.service.stm;

/** What a working-memory item came from. */
public enum ItemKind {
  /** A message the user wrote. */
  MESSAGE,
  /** A long-term memory recalled from memory-service. */
  MEMORY
}
