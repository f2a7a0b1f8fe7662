package dev.engram.broker.api;

import dev.engram.broker.controller.PoolStatus;
import java.time.Instant;
import java.util.Map;

/**
 * The pool as operators see it ({@code GET /api/v1/pool}).
 *
 * @param leader whether this replica runs the pool controller
 * @param hitRatio share of claims this replica served from the warm pool
 * @param backoffUntil refill is paused until then after failures (null: not paused)
 * @param failures each reconcile step's last failure
 */
public record PoolView(
    String runtime,
    boolean leader,
    int warm,
    int starting,
    int bound,
    int failing,
    int targetWarm,
    int maxTotal,
    double hitRatio,
    int consecutiveFailures,
    Instant backoffUntil,
    Instant lastReconcileAt,
    Map<String, PoolStatus.StepFailure> failures) {}
