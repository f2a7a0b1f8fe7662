package dev.engram.session.service;

import static dev.engram.events.SessionStatus.ACTIVE;
import static dev.engram.events.SessionStatus.ARCHIVED;
import static dev.engram.events.SessionStatus.COMPLETED;
import static dev.engram.events.SessionStatus.PAUSED;

import dev.engram.events.SessionStatus;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The lifecycle transitions of a session: ACTIVE ⇄ PAUSED, ACTIVE or PAUSED → COMPLETED → ARCHIVED.
 * Nothing leaves ARCHIVED.
 */
public enum Lifecycle {
  PAUSE(EnumSet.of(ACTIVE), PAUSED),
  RESUME(EnumSet.of(PAUSED), ACTIVE),
  COMPLETE(EnumSet.of(ACTIVE, PAUSED), COMPLETED),
  ARCHIVE(EnumSet.of(COMPLETED), ARCHIVED);

  private final Set<SessionStatus> from;
  private final SessionStatus to;

  Lifecycle(Set<SessionStatus> from, SessionStatus to) {
    this.from = from;
    this.to = to;
  }

  /** Whether a session in {@code current} may take this transition. */
  public boolean allowedFrom(SessionStatus current) {
    return from.contains(current);
  }

  /** The status after the transition. */
  public SessionStatus target() {
    return to;
  }

  /** The verb of the transition's endpoint, for example {@code pause}. */
  public String verb() {
    return name().toLowerCase(Locale.ROOT);
  }
}
