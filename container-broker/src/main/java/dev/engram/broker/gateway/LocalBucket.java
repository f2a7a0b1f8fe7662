package dev.engram.broker.gateway;

import dev.engram.broker.gateway.RateLimiter.Decision;

/**
 * A replica's copy of one user's token bucket: its level, refilled by this JVM's clock, what it
 * admitted since its last settlement with Redis, and whether a settlement is scheduled or under way
 * (at most one per bucket).
 */
final class LocalBucket {

  private double tokens;
  private long at;
  private long lastUsed;
  private int pending;
  private int inFlight;
  private boolean settling;

  LocalBucket(double tokens, long now) {
    this.tokens = tokens;
    this.at = now;
    this.lastUsed = now;
  }

  synchronized Decision take(long now, int capacity, double perNano) {
    tokens = Math.min(capacity, tokens + Math.max(0, now - at) * perNano);
    at = now;
    lastUsed = now;
    if (tokens >= 1) {
      tokens -= 1;
      pending++;
      return new Decision(true, 0);
    }
    return new Decision(false, retryAfterMillis(tokens, perNano));
  }

  /** True when the caller must schedule a settlement (none is scheduled or under way). */
  synchronized boolean scheduleSettle() {
    if (settling) {
      return false;
    }
    settling = true;
    return true;
  }

  /** What to charge to Redis now. */
  synchronized int beginSettle() {
    inFlight = pending;
    pending = 0;
    return inFlight;
  }

  /**
   * Takes the shared level (NaN when Redis did not answer: the local level stands and what was
   * being charged is not charged); true when more was admitted meanwhile and another settlement
   * must be scheduled.
   */
  synchronized boolean endSettle(double sharedLevel, long now) {
    if (!Double.isNaN(sharedLevel)) {
      tokens = sharedLevel - pending;
      at = now;
    }
    inFlight = 0;
    settling = pending > 0;
    return settling;
  }

  synchronized boolean forgettable(long now, long idleNanos) {
    return !settling && pending == 0 && now - lastUsed > idleNanos;
  }

  synchronized int unsettled() {
    return pending + inFlight;
  }

  static long retryAfterMillis(double level, double perNano) {
    return (long) Math.ceil((1 - level) / perNano / 1_000_000);
  }
}
