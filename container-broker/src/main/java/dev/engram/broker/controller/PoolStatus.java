package dev.engram.broker.controller;

import jakarta.enterprise.context.ApplicationScoped;
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

  /** Refill is paused until {@code until} after {@code failures} failed instances in a row. */
  public void backoff(int failures, Instant until) {
    this.consecutiveFailures = failures;
    this.backoffUntil = until;
  }

  public Instant lastReconcileAt() {
    return lastReconcileAt;
  }

  public void reconciled(Instant at) {
    this.lastReconcileAt = at;
  }
}
