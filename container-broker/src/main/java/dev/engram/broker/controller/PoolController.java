package dev.engram.broker.controller;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.events.PoolTelemetry;
import dev.engram.broker.pool.PoolCounts;
import dev.engram.broker.runtime.PodRuntime;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs the reconcile pipeline while this replica leads: shortly after every change of the runtime's
 * view (changes of the same moment coalesced), and at least every reconcile interval (for what only
 * time changes: idleness, lifetime, heartbeats). Passes never overlap; changes during a pass cause
 * one more pass after it. A replica standing by still keeps its pool gauges current with its own
 * view, so that every replica's metrics show the pool.
 */
@ApplicationScoped
public class PoolController {

  private static final Logger LOG = Logger.getLogger(PoolController.class);
  private static final long COALESCE_MILLIS = 100;

  private final PodRuntime runtime;
  private final ReconcilePipeline pipeline;
  private final PoolStatus status;
  private final Vertx vertx;
  private final BrokerConfig config;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ObserveStep observe;
  private final Clock clock;
  private final PoolTelemetry telemetry;
  private volatile long timer = -1;

  PoolController(
      PodRuntime runtime,
      ReconcilePipeline pipeline,
      PoolStatus status,
      Vertx vertx,
      BrokerConfig config,
      ObserveStep observe,
      Clock clock,
      PoolTelemetry telemetry) {
    this.runtime = runtime;
    this.pipeline = pipeline;
    this.status = status;
    this.vertx = vertx;
    this.config = config;
    this.observe = observe;
    this.clock = clock;
    this.telemetry = telemetry;
    runtime.onChange(this::changed);
  }

  public synchronized void startLeading() {
    if (status.leader()) {
      return;
    }
    LOG.info("Pool controller active");
    observe.reset(new ArrayList<>(runtime.instances()));
    status.leader(true);
    timer = vertx.setPeriodic(config.pool().reconcileInterval().toMillis(), t -> trigger());
    trigger();
  }

  public synchronized void stopLeading() {
    if (!status.leader()) {
      return;
    }
    LOG.info("Pool controller standing by");
    status.leader(false);
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * The view changed: a pass follows {@value #COALESCE_MILLIS} ms later, with every other change of
   * that moment. A claim changes the view (the instance is labelled bound) while it is still under
   * way (the instance is being told its user), and a pass started at once would compete with it for
   * the CPU; the pool is refilled a tenth of a second later instead.
   */
  void changed() {
    if (!status.leader()) {
      telemetry.counts(PoolCounts.of(runtime.instances()));
      return;
    }
    if (scheduled.compareAndSet(false, true)) {
      vertx.setTimer(
          COALESCE_MILLIS,
          t -> {
            scheduled.set(false);
            trigger();
          });
    }
  }

  /** Asks for a pass (coalesced with one that is running). */
  public void trigger() {
    if (!status.leader()) {
      telemetry.counts(PoolCounts.of(runtime.instances()));
      return;
    }
    if (!running.compareAndSet(false, true)) {
      dirty.set(true);
      return;
    }
    dirty.set(false);
    ReconcilePass pass = new ReconcilePass(new ArrayList<>(runtime.instances()), clock.instant());
    LOG.debugf("Reconciling %d instances", pass.instances().size());
    pipeline
        .run(pass)
        .subscribe()
        .with(
            done -> finished(),
            failure -> {
              LOG.error("Reconcile pass failed", failure);
              finished();
            });
  }

  /** A pass that missed changes runs again shortly (changes arrive in bursts: coalesce them). */
  private void finished() {
    running.set(false);
    if (dirty.get()) {
      vertx.setTimer(COALESCE_MILLIS, t -> trigger());
    }
  }
}
