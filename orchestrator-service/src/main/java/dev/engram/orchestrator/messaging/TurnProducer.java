package dev.engram.orchestrator.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.events.TurnCompleted;
import dev.engram.events.kafka.EventSender;
import dev.engram.orchestrator.config.OrchestratorConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Publishes {@code turn.completed} on {@code engram.turns}, keyed by user. Fire and forget: a turn
 * never waits for Kafka. An {@link EventSender} encodes and sends from a thread of its own and
 * creates its Kafka producer with the first event, so an unbound (warm) instance has no Kafka
 * client at all and starts without one. While Kafka is down, events wait in the producer (and up to
 * {@value #MAX_PENDING} more before it); an event that cannot wait is logged and dropped (these are
 * metrics, not state). Each record carries the trace of the turn that published it.
 */
@ApplicationScoped
public class TurnProducer {

  /** Events handed to the sending thread and not yet given to the Kafka producer. */
  static final int MAX_PENDING = 1024;

  private final EventSender sender;

  public TurnProducer(
      OrchestratorConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      OpenTelemetry openTelemetry) {
    this.sender =
        new EventSender(
            Topics.TURNS,
            kafkaConfig,
            Map.of(
                ProducerConfig.CLIENT_ID_CONFIG,
                "engram-orchestrator-" + config.instanceName() + "-turns"),
            MAX_PENDING,
            "engram-turns-producer",
            openTelemetry.getPropagators().getTextMapPropagator(),
            (event, reason) ->
                Log.warnf("turn.completed %s not published: %s", event.id(), reason));
  }

  public void publish(String userId, TurnCompleted turn) {
    // on the caller's thread, where the turn's span is current
    sender.publish(CloudEvent.of(Sources.ORCHESTRATOR, userId, turn), Context.current());
  }

  /** What is waiting still goes out if Kafka answers within a few seconds. */
  @PreDestroy
  void close() {
    sender.closeWithin(Duration.ofSeconds(5));
  }
}
