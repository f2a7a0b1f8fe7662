package dev.engram.events;

/** The lifecycle state of a session. */
public enum SessionStatus {
  ACTIVE,
  PAUSED,
  COMPLETED,
  ARCHIVED
}
