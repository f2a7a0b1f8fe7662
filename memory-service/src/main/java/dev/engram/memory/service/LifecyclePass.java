package dev.engram.memory.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The periodic lifecycle pass ({@code engram.memory.lifecycle.sweep-every}): the sweep applies the
 * transitions that are due, then the strength history takes its sample of the interval if none has
 * been taken yet, so the sample sees the states the sweep just set.
 */
@ApplicationScoped
public class LifecyclePass {

  private final LifecycleService lifecycle;
  private final StrengthHistoryService history;

  public LifecyclePass(LifecycleService lifecycle, StrengthHistoryService history) {
    this.lifecycle = lifecycle;
    this.history = history;
  }

  @Scheduled(
      every = "${engram.memory.lifecycle.sweep-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return run();
  }

  /** One pass: the sweep, then the strength sample. */
  public Uni<Void> run() {
    return lifecycle.sweep().chain(history::record).replaceWithVoid();
  }
}
