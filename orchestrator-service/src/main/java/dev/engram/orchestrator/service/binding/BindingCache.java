package dev.engram.orchestrator.service.binding;

import java.util.HashMap;
import java.util.Map;

/**
 * A cache of the bound user's entries that never outlives their binding: {@link #bound} (called by
 * its owner's observer of {@link BindingChanged}) empties it and names the binding it now belongs
 * to, and a write for any other binding (a turn or a read that outlived its binding and finishes
 * after the release) is dropped. Both hold the same lock, so an entry is either written before the
 * change and then emptied by it, or refused after it: nothing of one user stays cached after a
 * release, or reaches the next user.
 */
public final class BindingCache<K, V> {

  private final Map<K, V> entries = new HashMap<>();
  private Binding owner;

  /** Empties the cache: it now holds entries of {@code binding} (null: of nobody). */
  public synchronized void bound(Binding binding) {
    owner = binding;
    entries.clear();
  }

  public synchronized V get(K key) {
    return entries.get(key);
  }

  /** Caches {@code value} unless {@code binding} is not the one the cache belongs to. */
  public synchronized void put(Binding binding, K key, V value) {
    if (binding != null && binding == owner) {
      entries.put(key, value);
    }
  }

  public synchronized void remove(K key) {
    entries.remove(key);
  }

  /** Empties the cache; it still belongs to the same binding. */
  public synchronized void clear() {
    entries.clear();
  }

  /** How many entries are cached. */
  public synchronized int size() {
    return entries.size();
  }
}
