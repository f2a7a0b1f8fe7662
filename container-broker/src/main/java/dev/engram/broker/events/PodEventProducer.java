package dev.engram.broker.events;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.events.kafka.EventSender;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jboss.logging.Logger;

/**
 * Publishes the pool's events on {@code engram.pods} as CloudEvents keyed by user (or by source for
 * system events). Fire and forget: a claim never waits for Kafka, and a failed send is logged.
 *
 * <p>The caller (a claim's event loop, a reconcile pass) only stamps the event and queues it with
 * its trace; an {@link EventSender} encodes it and hands it to a plain Kafka producer ({@code
 * acks=all}, idempotent) from a thread of its own, in the order the events were published, so a
 * user's events stay in order and a claim answers without the JSON or the producer's own send on
 * its event loop. While Kafka is away up to {@value #MAX_PENDING} events wait before the producer;
 * one that cannot wait is logged and dropped.
 */
@ApplicationScoped
public class PodEventProducer {

  /** Events queued for the sending thread and not yet handed to the Kafka producer. */
  static final int MAX_PENDING = 4096;

  /**
   * How long the producer waits for more events to send in one request, unless {@code
   * kafka.linger.ms} says otherwise (kafka-clients' own default is 5 ms). A claim and its release
   * publish about three events within tens of milliseconds; sent one request each, they cost this
   * broker and Kafka CPU beside the claims (docs/benchmarks.md, claims3). Nobody waits for them.
   */
  static final String LINGER_MS = "50";

  private static final Logger LOG = Logger.getLogger(PodEventProducer.class);

  private final EventSender sender;

  PodEventProducer(
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      OpenTelemetry openTelemetry) {
    this.sender =
        new EventSender(
            Topics.PODS,
            kafkaConfig,
            Map.of(
                ProducerConfig.CLIENT_ID_CONFIG,
                "container-broker-pods",
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                "true",
                ProducerConfig.LINGER_MS_CONFIG,
                kafkaConfig.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS)),
            MAX_PENDING,
            "engram-pod-events",
            openTelemetry.getPropagators().getTextMapPropagator(),
            (event, reason) ->
                LOG.warnf("Could not publish %s %s: %s", event.type(), event.id(), reason));
  }

  /** Publishes one event for {@code userId} (null for system events). */
  public void publish(String userId, EventData data) {
    // the trace of what caused it, taken here, where it is current
    sender.publish(CloudEvent.of(Sources.CONTAINER_BROKER, userId, data), Context.current());
  }

  /** Sends what was published before shutting down, if Kafka answers within a few seconds. */
  @PreDestroy
  void close() {
    if (!sender.closeWithin(Duration.ofSeconds(5))) {
      LOG.warn("Pool events still unsent at shutdown");
    }
  }
}
