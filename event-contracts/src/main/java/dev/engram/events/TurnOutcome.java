package dev.engram.events;

/** How a turn ended. */
public enum TurnOutcome {
  COMPLETED,
  FAILED
}
