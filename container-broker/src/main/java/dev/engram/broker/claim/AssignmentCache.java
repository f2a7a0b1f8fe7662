package dev.engram.broker.claim;

import dev.engram.broker.config.BrokerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This replica's copy of the assignments it has read or written, so the gateway routes a user's
 * requests without a Redis round trip. An entry lives at most {@code assignment-cache-ttl}; this
 * replica's own writes and removals replace or drop it at once ({@link AssignmentStore}); what
 * other replicas change is caught by the view check of {@link ConnectService#cachedAssignment} and,
 * in the last resort, by the instance itself, which refuses any user but its own (the gateway then
 * drops the entry and reads Redis again).
 */
@ApplicationScoped
public class AssignmentCache {

  private static final int SWEEP_EVERY = 256;

  private record Entry(Assignment assignment, long expiresAt) {}

  private final long ttlNanos;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicInteger puts = new AtomicInteger();

  AssignmentCache(BrokerConfig config) {
    this.ttlNanos = config.gateway().assignmentCacheTtl().toNanos();
  }

  /** The user's cached assignment, if one is cached and not expired. */
  public Optional<Assignment> get(String userId) {
    Entry entry = entries.get(userId);
    if (entry == null) {
      return Optional.empty();
    }
    if (System.nanoTime() - entry.expiresAt() > 0) {
      entries.remove(userId, entry);
      return Optional.empty();
    }
    return Optional.of(entry.assignment());
  }

  /** Caches {@code assignment} (what {@link AssignmentStore} read or wrote). */
  public void put(Assignment assignment) {
    if (ttlNanos <= 0) {
      return;
    }
    long now = System.nanoTime();
    entries.put(assignment.userId(), new Entry(assignment, now + ttlNanos));
    if (puts.incrementAndGet() % SWEEP_EVERY == 0) {
      entries.values().removeIf(e -> now - e.expiresAt() > 0);
    }
  }

  /** Drops the user's entry. */
  public void drop(String userId) {
    entries.remove(userId);
  }

  /** Drops the user's entry if it is still {@code stale} (a newer one stays). */
  public void drop(Assignment stale) {
    entries.computeIfPresent(
        stale.userId(), (u, e) -> e.assignment().claimId().equals(stale.claimId()) ? null : e);
  }
}
