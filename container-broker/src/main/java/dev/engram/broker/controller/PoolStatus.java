package dev.engram.broker.controller;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controller's own state, for operators: whether this replica leads, the refill backoff and the
 * last failure of each reconcile step (cleared when the step succeeds again).
 */
@ApplicationScoped
public class PoolStatus {

  /** A step's last failure. */
  public record StepFailure(String message, Instant at) {}

  private final Map<String, StepFailure> failures = new ConcurrentHashMap<>();
  private volatile boolean leader;
  private volatile int consecutiveFailures;
  private volatile Instant backoffUntil;
  private volatile Instant lastReconcileAt;

  public boolean leader() {
    return leader;
  }

  public void leader(boolean leading) {
    this.leader = leading;
    if (!leading) {
      failures.clear();
    }
  }

  public void failed(String step, String message, Instant at) {
    failures.put(step, new StepFailure(message, at));
  }

  public void succeeded(String step) {
    failures.remove(step);
  }

  public Map<String, StepFailure> failures() {
    return new TreeMap<>(failures);
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  public Instant backoffUntil() {
    return backoffUntil;
  }

  /**
   * One more instance failed (never became ready, or could not be created): refill pauses for
   * {@code initial} doubled per failure in a row, at most {@code max}.
   */
  public synchronized void instanceFailed(Instant now, Duration initial, Duration max) {
    int failures = consecutiveFailures + 1;
    Duration delay = initial.multipliedBy(1L << Math.min(failures - 1, 20));
    consecutiveFailures = failures;
    backoffUntil = now.plus(delay.compareTo(max) > 0 ? max : delay);
  }

  /** An instance became ready: the backoff ends. */
  public synchronized void instanceReady() {
    consecutiveFailures = 0;
    backoffUntil = null;
  }

  public Instant lastReconcileAt() {
    return lastReconcileAt;
  }

  public void reconciled(Instant at) {
    this.lastReconcileAt = at;
  }
}
