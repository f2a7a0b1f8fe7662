package dev.engram.broker.events;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes the pool's events on {@code engram.pods} as CloudEvents keyed by user (or by source for
 * system events). Fire and forget: a claim never waits for Kafka, and a failed send is logged.
 *
 * <p>The caller (a claim's event loop, a reconcile pass) only stamps the event and queues it; one
 * thread of this class encodes it and hands it to a plain Kafka producer ({@code acks=all},
 * idempotent), in the order the events were published, so a user's events stay in order and a claim
 * answers without the JSON, the producer's own send (which can block on metadata while Kafka is
 * away) or the connector's stream on its event loop. The producer is created on the first event.
 * While Kafka is away, events wait in the producer and up to {@value #MAX_PENDING} more before it;
 * an event that cannot wait is logged and dropped. Each record carries the trace current where it
 * was published (W3C {@code traceparent} header).
 */
@ApplicationScoped
public class PodEventProducer {

  /** Events queued for the sending thread and not yet handed to the Kafka producer. */
  static final int MAX_PENDING = 4096;

  private static final Logger LOG = Logger.getLogger(PodEventProducer.class);
  private static final EventCodec CODEC = new EventCodec();
  private static final byte[] CONTENT_TYPE =
      CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

  private final Map<String, Object> kafkaConfig;
  private final OpenTelemetry openTelemetry;
  private final AtomicInteger pending = new AtomicInteger();
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("engram-pod-events").unstarted(r));
  private KafkaProducer<String, byte[]> producer; // only touched on the sending thread

  PodEventProducer(
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      OpenTelemetry openTelemetry) {
    this.kafkaConfig = Map.copyOf(kafkaConfig);
    this.openTelemetry = openTelemetry;
  }

  /** Publishes one event for {@code userId} (null for system events). */
  public void publish(String userId, EventData data) {
    CloudEvent<EventData> event = CloudEvent.of(Sources.CONTAINER_BROKER, userId, data);
    // the trace of what caused it, taken here, where it is current
    Context trace = Context.current();
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      LOG.warnf(
          "Could not publish %s %s: %d events already waiting",
          event.type(), event.id(), MAX_PENDING);
      return;
    }
    try {
      sender.execute(() -> send(event, trace));
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
      LOG.warnf("Could not publish %s %s: shutting down", event.type(), event.id());
    }
  }

  private void send(CloudEvent<EventData> event, Context trace) {
    try {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(Topics.PODS, event.key(), CODEC.encode(event));
      record.headers().add("content-type", CONTENT_TYPE);
      openTelemetry
          .getPropagators()
          .getTextMapPropagator()
          .inject(
              trace,
              record,
              (r, key, value) -> r.headers().add(key, value.getBytes(StandardCharsets.UTF_8)));
      producer()
          .send(
              record,
              (metadata, e) -> {
                if (e != null) {
                  LOG.warnf("Could not publish %s %s: %s", event.type(), event.id(), e.toString());
                }
              });
    } catch (RuntimeException e) {
      LOG.warnf("Could not publish %s %s: %s", event.type(), event.id(), e.toString());
    } finally {
      pending.decrementAndGet();
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      // every kafka.* setting (servers, security protocol, SASL, trust store), then this
      // producer's own
      Properties p = new Properties();
      p.putAll(kafkaConfig);
      p.put(ProducerConfig.CLIENT_ID_CONFIG, "container-broker-pods");
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      producer = new KafkaProducer<>(p);
    }
    return producer;
  }

  /** Sends what was published before shutting down, if Kafka answers within a few seconds. */
  @PreDestroy
  void close() {
    try {
      sender.execute(
          () -> {
            if (producer != null) {
              producer.close(Duration.ofSeconds(5));
            }
          });
    } catch (RejectedExecutionException e) {
      return;
    }
    sender.shutdown();
    try {
      if (!sender.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("Pool events still unsent at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
