package dev.engram.events;

/** What happened to a memory cluster. */
public enum ClusterChange {
  CREATED,
  GREW,
  MERGED,
  SPLIT,
  REMOVED
}
