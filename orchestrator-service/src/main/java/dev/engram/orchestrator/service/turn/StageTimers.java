package dev.engram.orchestrator.service.turn;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each stage of a turn before the first token takes ({@code engram_turn_stage_seconds},
 * tagged {@code stage}): {@code intake} (the {@code onMessageReceived} hooks, resolving the session
 * and starting the store of the message), one per context source ({@code immediate}, {@code recall}
 * (long-term memories and procedures, one memory-service call), {@code facts}; a source answered
 * from what the instance holds, or not asked, is not timed), {@code gather} (all sources, in
 * parallel), {@code assembly} (attention, assembly, {@code onContextBuilt} hooks) and {@code
 * answer} (rendering the prompt to the provider's first delta, sent to every tab). With {@code
 * engram_turn_first_token_seconds} they show what the first token waits for; what is left is the
 * hand-offs between them.
 */
@ApplicationScoped
public class StageTimers {

  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public StageTimers(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code work} timed as {@code stage}, from subscription to its item or failure. */
  public <T> Uni<T> timed(String stage, Uni<T> work) {
    return Uni.createFrom()
        .deferred(
            () -> {
              long started = System.nanoTime();
              return work.onTermination().invoke(() -> record(stage, started));
            });
  }

  /**
   * Records {@code stage} as having run from {@code started} ({@link System#nanoTime()}) to now.
   */
  public void record(String stage, long started) {
    timers
        .computeIfAbsent(
            stage,
            s ->
                Timer.builder("engram.turn.stage")
                    .description("A stage of a turn before its first token")
                    .tag("stage", s)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(Duration.ofNanos(System.nanoTime() - started));
  }
}
