package dev.engram.memory;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's clock in tests: the real time plus an offset that a test can move forward (and must
 * reset), so lifecycle tests travel weeks ahead without waiting.
 */
public class TestClock extends Clock {

  private static final AtomicReference<Duration> OFFSET = new AtomicReference<>(Duration.ZERO);

  public static void advance(Duration by) {
    OFFSET.updateAndGet(d -> d.plus(by));
  }

  public static void reset() {
    OFFSET.set(Duration.ZERO);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(OFFSET.get());
  }

  /** Replaces the production clock bean. */
  public static class Producer {
    @Produces
    @Alternative
    @Priority(1)
    @Singleton
    Clock clock() {
      return new TestClock();
    }
  }
}
