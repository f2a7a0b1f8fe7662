package dev.engram.memory.config;

import dev.engram.events.EventCodec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Beans from outside CDI: the clock (replaceable in tests) and the event codec. */
public class Producers {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  EventCodec codec() {
    return new EventCodec();
  }
}
