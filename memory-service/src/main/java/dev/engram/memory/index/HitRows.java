package dev.engram.memory.index;

import dev.engram.memory.model.Memory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rows of one user's recent search hits, held with the user's L1 entry (least recently used
 * dropped past a bound). A change to the user's memories {@link #drop}s the rows it touched, or
 * {@link #invalidate}s them all. A reader that missed takes the {@link #generation()} before it
 * reads the database and {@link #putAll}s with it, so rows read before a change committed are not
 * kept once the change invalidated.
 */
public final class HitRows {

  private final int capacity;
  private final LinkedHashMap<UUID, Memory> rows;
  private long generation;

  public HitRows(int capacity) {
    this.capacity = capacity;
    this.rows =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UUID, Memory> eldest) {
            return size() > HitRows.this.capacity;
          }
        };
  }

  /** The current generation, to pass to {@link #putAll} after reading the database. */
  public synchronized long generation() {
    return generation;
  }

  /** The rows held of these ids; the others are added to {@code missing}. */
  public synchronized Map<UUID, Memory> get(List<UUID> ids, Collection<UUID> missing) {
    Map<UUID, Memory> found = new java.util.HashMap<>(ids.size() * 2);
    for (UUID id : ids) {
      Memory m = rows.get(id);
      if (m == null) {
        missing.add(id);
      } else {
        found.put(id, m);
      }
    }
    return found;
  }

  /** Keeps rows read from the database, unless they were invalidated since {@code generation}. */
  public synchronized void putAll(long generation, Map<UUID, Memory> read) {
    if (generation == this.generation && capacity > 0) {
      rows.putAll(read);
    }
  }

  /**
   * Replaces the rows of memories this replica just changed with their new values, if nothing else
   * invalidated since {@code expected} (the generation before the change's transaction); else drops
   * them only. Readers that started before are kept from putting the old values either way.
   */
  public synchronized void replace(long expected, Map<UUID, Memory> changed) {
    boolean clean = expected == generation;
    generation++;
    for (UUID id : changed.keySet()) {
      rows.remove(id);
    }
    if (clean && capacity > 0) {
      rows.putAll(changed);
    }
  }

  /**
   * Drops the rows of these memories (they changed), keeping the others; readers that started
   * before are kept from putting what they read, as by {@link #invalidate()}.
   */
  public synchronized void drop(Collection<UUID> ids) {
    generation++;
    for (UUID id : ids) {
      rows.remove(id);
    }
  }

  /** Drops every row: the user's memories changed. */
  public synchronized void invalidate() {
    generation++;
    rows.clear();
  }

  public synchronized int size() {
    return rows.size();
  }
}
