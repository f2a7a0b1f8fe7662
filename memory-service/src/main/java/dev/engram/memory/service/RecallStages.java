package dev.engram.memory.service;

import dev.engram.memory.config.MemoryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Where a recall's time goes: one timer per stage ({@code engram.memory.recall.stage}, tag {@code
 * stage}) and, for a recall slower than {@code engram.memory.search.slow-recall-log}, one log line
 * with its stages, so that a slow recall can be told apart from the others (and put beside what the
 * service was doing at that moment).
 */
@ApplicationScoped
public class RecallStages {

  private static final Logger LOG = Logger.getLogger(RecallStages.class);

  /** The stages of a recall, in order. */
  public enum Stage {
    /**
     * The query's embedding, from the call to the vector (queueing for a query thread included).
     */
    EMBED,
    /** The user's vectors (L1, or loaded from L2 or the database). */
    VECTORS,
    /** The query's lexemes (a database round trip for words not seen before). */
    LEXEMES,
    /** Both candidate lists: the wait for a worker thread, the dense and the lexical scan. */
    CANDIDATES,
    /** The rows of the candidates (L1, or the database after a change to the user's memories). */
    ROWS,
    /** The whole recall. */
    TOTAL
  }

  private final Map<Stage, Timer> timers = new EnumMap<>(Stage.class);
  private final long slowNanos;

  @Inject
  public RecallStages(MeterRegistry registry, MemoryConfig config) {
    this(registry, config.search().slowRecallLog());
  }

  RecallStages(MeterRegistry registry, Duration slow) {
    for (Stage stage : Stage.values()) {
      timers.put(
          stage,
          Timer.builder("engram.memory.recall.stage")
              .description("Time a recall spent in each of its stages")
              .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT))
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofSeconds(10))
              .register(registry));
    }
    this.slowNanos = slow.toNanos();
  }

  /** A new recall's trace, started now. */
  public Trace start() {
    return new Trace(System.nanoTime());
  }

  /** The stages of one recall (the longest, for a stage run by both of its searches). */
  public final class Trace {

    private final long started;
    private final long[] nanos = new long[Stage.values().length];

    private Trace(long started) {
      this.started = started;
    }

    /** {@code work} timed as {@code stage}, from subscription to its outcome. */
    public <T> Uni<T> time(Stage stage, Uni<T> work) {
      return Uni.createFrom()
          .deferred(
              () -> {
                long from = System.nanoTime();
                return work.onTermination().invoke(() -> record(stage, System.nanoTime() - from));
              });
    }

    private synchronized void record(Stage stage, long elapsed) {
      nanos[stage.ordinal()] = Math.max(nanos[stage.ordinal()], elapsed);
    }

    /** Ends the recall: records every stage it went through, and logs it if it was slow. */
    public void end(String userId) {
      long total = System.nanoTime() - started;
      record(Stage.TOTAL, total);
      StringJoiner stages = new StringJoiner(", ");
      synchronized (this) {
        for (Stage stage : Stage.values()) {
          long n = nanos[stage.ordinal()];
          if (n > 0) {
            timers.get(stage).record(n, TimeUnit.NANOSECONDS);
            stages.add(stage.name().toLowerCase(java.util.Locale.ROOT) + " " + millis(n));
          }
        }
      }
      if (total >= slowNanos) {
        LOG.infof("Slow recall for %s: %s ms", userId, stages);
      }
    }
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
  }
}
