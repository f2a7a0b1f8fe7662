package dev.engram.orchestrator.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.events.TurnCompleted;
import dev.engram.orchestrator.config.OrchestratorConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes {@code turn.completed} on {@code engram.turns}, keyed by user. Fire and forget: a turn
 * never waits for Kafka. The Kafka producer is created on the first event, on a sending thread of
 * its own, so an unbound (warm) instance has no Kafka client at all and starts without one. While
 * Kafka is down, events wait in the producer (and up to {@value #MAX_PENDING} more before it); an
 * event that cannot wait is logged and dropped (these are metrics, not state). Each record carries
 * the trace of the turn that published it (W3C {@code traceparent} header), as the services' own
 * events do.
 */
@ApplicationScoped
public class TurnProducer {

  /** Events handed to the sending thread and not yet given to the Kafka producer. */
  static final int MAX_PENDING = 1024;

  private final Map<String, Object> kafkaConfig;
  private final String clientId;
  private final EventCodec codec = new EventCodec();
  private final OpenTelemetry openTelemetry;
  private final AtomicInteger pending = new AtomicInteger();
  // one thread, started with the first event: a KafkaProducer may block in send() (metadata)
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("engram-turns-producer").unstarted(r));
  private KafkaProducer<String, byte[]> producer; // only touched on the sending thread

  public TurnProducer(
      OrchestratorConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
    this.kafkaConfig = Map.copyOf(kafkaConfig);
    this.clientId = "engram-orchestrator-" + config.instanceName() + "-turns";
  }

  public void publish(String userId, TurnCompleted turn) {
    CloudEvent<TurnCompleted> event = CloudEvent.of(Sources.ORCHESTRATOR, userId, turn);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.TURNS, event.key(), codec.encode(event));
    record.headers().add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    // on the caller's thread, where the turn's span is current
    openTelemetry
        .getPropagators()
        .getTextMapPropagator()
        .inject(
            Context.current(),
            record,
            (r, key, value) -> r.headers().add(key, value.getBytes(StandardCharsets.UTF_8)));
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      Log.warnf(
          "turn.completed %s not published: %d events already waiting", event.id(), MAX_PENDING);
      return;
    }
    sender.execute(() -> send(record, event.id()));
  }

  private void send(ProducerRecord<String, byte[]> record, Object eventId) {
    try {
      producer()
          .send(
              record,
              (metadata, e) -> {
                if (e != null) {
                  Log.warnf("turn.completed %s not published: %s", eventId, e.getMessage());
                }
              });
    } catch (RuntimeException e) {
      Log.warnf("turn.completed %s not published: %s", eventId, e.getMessage());
    } finally {
      pending.decrementAndGet();
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      // every kafka.* setting (servers, security.protocol, SASL, trust store), then this
      // producer's own
      Properties p = new Properties();
      p.putAll(kafkaConfig);
      p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      producer = new KafkaProducer<>(p);
    }
    return producer;
  }

  @PreDestroy
  void close() {
    // what is waiting still goes out if Kafka answers within a few seconds
    sender.execute(
        () -> {
          if (producer != null) {
            producer.close(Duration.ofSeconds(5));
          }
        });
    sender.shutdown();
    try {
      sender.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
