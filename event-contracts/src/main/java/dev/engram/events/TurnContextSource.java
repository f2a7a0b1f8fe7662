package dev.engram.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where the items of a turn's context came from: the keys of {@link
 * TurnCompleted#contextItemsBySource()}.
 *
 * <p>The set is open. A source added later is a new key within the same version (like an additional
 * optional field): consumers ignore keys they do not know, and the counts of the keys they know
 * stay exact. A key is never renamed, removed or given another meaning within a version; that is a
 * new version.
 */
public enum TurnContextSource {
  /** The stable profile of the user (name, preferences, style). */
  PROFILE("profile"),
  /** The session's last messages. */
  IMMEDIATE("immediate"),
  /** The short-term working set. */
  WORKING("working"),
  /** Long-term memories found by search. */
  LONG_TERM("long-term"),
  /** The user's facts and preferences. */
  FACTS("facts"),
  /** Procedures for the task at hand. */
  PROCEDURES("procedures"),
  /** The current session's metadata (title, state, tags, start). */
  SESSION("session"),
  /** The summary of the session the current one is linked to (its parent). */
  PARENT("parent");

  private final String key;

  TurnContextSource(String key) {
    this.key = key;
  }

  /** The key in {@code contextItemsBySource}, for example {@code long-term}. */
  public String key() {
    return key;
  }

  /** The source named {@code key}; empty for a key this version does not know. */
  public static Optional<TurnContextSource> ofKey(String key) {
    return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
  }
}
