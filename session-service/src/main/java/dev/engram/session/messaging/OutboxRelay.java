package dev.engram.session.messaging;

import dev.engram.session.config.SessionConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka on a thread of its own: a round whenever a local write committed
 * (see {@link TransactionalOutbox#transaction}) or the poll interval passed. Rounds take a
 * PostgreSQL advisory lock, so with several replicas one relay publishes at a time and the events
 * of a user leave in the order they were written. While Kafka or PostgreSQL is down, rounds fail
 * and are retried after a back-off; nothing is marked sent before Kafka acknowledged it.
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  private final OutboxStore store;
  private final OutboxPublisher publisher;
  private final SessionConfig.Outbox config;
  private final Counter published;
  private final Counter failedRounds;
  private final Semaphore wakeups = new Semaphore(0);
  private volatile boolean running;
  private Thread thread;

  public OutboxRelay(
      OutboxStore store, OutboxPublisher publisher, SessionConfig config, MeterRegistry meters) {
    this.store = store;
    this.publisher = publisher;
    this.config = config.outbox();
    this.published = meters.counter("engram.outbox.published");
    this.failedRounds = meters.counter("engram.outbox.failed.rounds");
  }

  void start(@Observes StartupEvent startup) {
    if (!config.relayEnabled()) {
      LOG.info("Outbox relay disabled on this replica (engram.session.outbox.relay-enabled)");
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
  }

  void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
    running = false;
    if (thread != null) {
      wake();
      thread.join(Duration.ofSeconds(10));
    }
  }

  /** Asks for a round now (a write committed). Cheap; coalesces concurrent calls. */
  public void wake() {
    if (wakeups.availablePermits() == 0) {
      wakeups.release();
    }
  }

  private void run() {
    boolean failing = false;
    while (running) {
      try {
        int sent = store.round(publisher::publish);
        if (sent > 0) {
          published.increment(sent);
        }
        if (failing) {
          LOG.info("Outbox relay recovered");
          failing = false;
        }
        if (sent < config.batchSize()) {
          awaitWake(config.pollInterval());
        }
      } catch (RuntimeException e) {
        failedRounds.increment();
        if (!failing) {
          LOG.warnf(e, "Outbox relay round failed; retrying every %s", config.retryBackoff());
          failing = true;
        } else {
          LOG.debugf(e, "Outbox relay round failed again");
        }
        pause(config.retryBackoff());
      }
    }
  }

  /** Waits out a back-off; writes do not cut it short, so a failing relay does not spin. */
  private void pause(Duration backoff) {
    try {
      Thread.sleep(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void awaitWake(Duration timeout) {
    try {
      if (wakeups.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        wakeups.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
