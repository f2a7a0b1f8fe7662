package dev.engram.broker.testing;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The broker's clock in tests: real time plus an offset a test can advance, so that idleness,
 * lifetimes, heartbeats and backoff can be reached without waiting.
 */
public class MutableClock extends Clock {

  private static final MutableClock INSTANCE = new MutableClock();
  private volatile Duration offset = Duration.ZERO;

  public static MutableClock get() {
    return INSTANCE;
  }

  public void advance(Duration by) {
    offset = offset.plus(by);
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
    return Instant.now().plus(offset);
  }

  /** Replaces the broker's clock in every test application. */
  public static class Producer {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Clock clock() {
      return INSTANCE;
    }
  }
}
