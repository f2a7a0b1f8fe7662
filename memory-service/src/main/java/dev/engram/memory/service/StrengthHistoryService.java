package dev.engram.memory.service;

import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.repository.StrengthHistoryRepository;
import dev.engram.memory.repository.StrengthHistoryRepository.Point;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The strength history of each user: once per {@code history-every} interval the lifecycle pass
 * samples every user's memories by type and state ({@link #record}), samples older than {@code
 * history-retention} are deleted at the same time, and {@link #history} reads a user's samples
 * back.
 */
@ApplicationScoped
public class StrengthHistoryService {

  private static final Logger LOG = Logger.getLogger(StrengthHistoryService.class);

  /**
   * A user's samples in a range, with what a client needs to read them: the sampling interval and
   * the strength below which an ACTIVE memory is forgotten.
   */
  public record History(
      Instant from, Instant to, long intervalSeconds, double forgetThreshold, List<Point> points) {}

  private final StrengthHistoryRepository repository;
  private final Clock clock;
  private final MemoryConfig.Lifecycle config;

  public StrengthHistoryService(
      StrengthHistoryRepository repository, Clock clock, MemoryConfig config) {
    this.repository = repository;
    this.clock = clock;
    this.config = config.lifecycle();
  }

  /**
   * Takes the sample of the current interval if no replica has taken it yet, and purges samples
   * past the retention. Returns whether this call took the sample.
   */
  @WithSpan("StrengthHistoryService.record")
  public Uni<Boolean> record() {
    Duration every = config.historyEvery();
    if (every.isZero() || every.isNegative()) {
      return Uni.createFrom().item(false);
    }
    Instant now = clock.instant();
    return repository
        .sample(bucket(now, every), now, now.minus(config.historyRetention()))
        .invoke(
            n -> {
              if (n >= 0) {
                LOG.debugf("Strength history: %d samples at %s", n, now);
              }
            })
        .map(n -> n >= 0);
  }

  /** The caller's samples from {@code from} to {@code to}, oldest first. */
  public Uni<History> history(String userId, Instant from, Instant to) {
    return repository
        .between(userId, from, to)
        .map(
            points ->
                new History(
                    from, to, config.historyEvery().toSeconds(), config.forgetThreshold(), points));
  }

  /** The current instant (the default end of a range). */
  public Instant now() {
    return clock.instant();
  }

  /** The start of the interval of length {@code every} that holds {@code at}. */
  static Instant bucket(Instant at, Duration every) {
    long millis = every.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), millis) * millis);
  }
}
