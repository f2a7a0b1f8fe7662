package dev.engram.orchestrator.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

/** Remembers the last event ids seen, so a redelivered event has no second effect. */
final class EventDeduplicator {

  private final Map<String, Boolean> seen;

  EventDeduplicator(int capacity) {
    this.seen =
        new LinkedHashMap<>(capacity, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Forgets every id (a new binding starts with none of the previous user's). */
  synchronized void clear() {
    seen.clear();
  }

  /** True the first time an id is offered. */
  synchronized boolean first(String eventId) {
    return seen.put(eventId, Boolean.TRUE) == null;
  }
}
