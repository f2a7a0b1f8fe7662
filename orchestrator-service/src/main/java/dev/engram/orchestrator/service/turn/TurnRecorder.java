package dev.engram.orchestrator.service.turn;

import dev.engram.events.TurnCompleted;
import dev.engram.events.TurnOutcome;
import dev.engram.orchestrator.messaging.TurnProducer;
import dev.engram.orchestrator.service.binding.BindingService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Records a finished turn: {@code turn.completed} on Kafka (sizes and latencies, no content),
 * Prometheus timers, and a snapshot of the user's state so a lost pod loses at most the turn in
 * flight.
 */
@ApplicationScoped
public class TurnRecorder {

  private final TurnProducer producer;
  private final BindingService binding;
  private final MeterRegistry registry;

  public TurnRecorder(TurnProducer producer, BindingService binding, MeterRegistry registry) {
    this.producer = producer;
    this.binding = binding;
    this.registry = registry;
  }

  /** What a turn measured. */
  public record Measures(
      UUID sessionId,
      UUID userMessageId,
      UUID assistantMessageId,
      int contextTokens,
      int contextItems,
      Map<String, Integer> bySource,
      int responseTokens,
      long firstTokenMillis,
      long totalMillis,
      String provider) {}

  public void completed(Caller caller, Measures m) {
    record(caller, m, TurnOutcome.COMPLETED);
    binding
        .checkpoint(caller.binding())
        .subscribe()
        .with(ok -> {}, e -> Log.warnf("snapshot after turn failed: %s", e.getMessage()));
  }

  public void failed(Caller caller, Measures m) {
    record(caller, m, TurnOutcome.FAILED);
  }

  private void record(Caller caller, Measures m, TurnOutcome outcome) {
    producer.publish(
        caller.userId(),
        new TurnCompleted(
            m.sessionId(),
            m.userMessageId(),
            m.assistantMessageId(),
            m.contextTokens(),
            m.contextItems(),
            m.bySource(),
            m.responseTokens(),
            m.firstTokenMillis(),
            m.totalMillis(),
            m.provider(),
            outcome));
    String tag = outcome.name().toLowerCase();
    Timer.builder("engram.turn.duration")
        .description("From the user's message to the stored answer")
        .tag("provider", m.provider())
        .tag("outcome", tag)
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.ofMillis(m.totalMillis()));
    if (m.firstTokenMillis() >= 0) {
      Timer.builder("engram.turn.first_token")
          .description("From the user's message to the first streamed token")
          .tag("provider", m.provider())
          .publishPercentileHistogram()
          .register(registry)
          .record(Duration.ofMillis(m.firstTokenMillis()));
    }
  }
}
