package dev.engram.events;

/** Why the broker removed an instance. */
public enum CullReason {
  IDLE,
  MAX_LIFETIME,
  ORPHAN,
  FAILED,
  SCALED_DOWN
}
