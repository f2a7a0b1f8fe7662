package dev.engram.events;

/** The kind of a semantic fact. */
public enum FactCategory {
  PREFERENCE,
  KNOWLEDGE,
  CONTEXT
}
