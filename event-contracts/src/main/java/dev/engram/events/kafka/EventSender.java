package dev.engram.events.kafka;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
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

/**
 * Sends CloudEvents to one topic, keyed by {@link CloudEvent#key()}, fire and forget, for callers
 * that must not wait for Kafka (a claim's or a turn's event loop).
 *
 * <p>The caller only queues the event with the trace current where it happened; one thread of this
 * sender encodes it, adds the {@code content-type} and W3C trace headers and hands it to a plain
 * {@link KafkaProducer}, in the order the events were published, so a key's events stay in order
 * and no caller ever runs the JSON or a {@code send} that can block on metadata while Kafka is
 * away. The producer is created with the first event: a process that never publishes has no Kafka
 * client. While Kafka is away, events wait in the producer and up to {@code maxPending} more before
 * it; an event that cannot wait, or that the producer fails to send, is reported to the {@link
 * Failures}.
 *
 * <p>Not a CDI bean: each service wraps one in a bean of its own with its configuration.
 */
public final class EventSender implements AutoCloseable {

  /** What to do with an event that was not sent (log it, count it). */
  @FunctionalInterface
  public interface Failures {
    void notSent(CloudEvent<?> event, String reason);
  }

  private static final EventCodec CODEC = new EventCodec();
  private static final byte[] CONTENT_TYPE =
      CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

  private final String topic;
  private final Properties producerConfig;
  private final int maxPending;
  private final TextMapPropagator propagator;
  private final Failures failures;
  private final AtomicInteger pending = new AtomicInteger();
  private final ExecutorService sender;
  private KafkaProducer<String, byte[]> producer; // only touched on the sending thread

  /**
   * @param topic the topic every event goes to
   * @param kafkaConfig the service's {@code kafka.*} settings (servers, security protocol, SASL,
   *     trust store)
   * @param producerConfig this producer's own settings on top (client id, acks, idempotence)
   * @param maxPending events queued for the sending thread beyond which new ones are refused
   * @param threadName the sending thread's name
   * @param propagator writes the trace headers (the service's OpenTelemetry propagators)
   * @param failures told of every event that was not sent
   */
  public EventSender(
      String topic,
      Map<String, Object> kafkaConfig,
      Map<String, Object> producerConfig,
      int maxPending,
      String threadName,
      TextMapPropagator propagator,
      Failures failures) {
    this.topic = topic;
    this.producerConfig = new Properties();
    this.producerConfig.putAll(kafkaConfig);
    this.producerConfig.putAll(producerConfig);
    this.producerConfig.put(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    this.producerConfig.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.maxPending = maxPending;
    this.propagator = propagator;
    this.failures = failures;
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name(threadName).unstarted(r));
  }

  /**
   * Queues {@code event} for sending with the trace of {@code trace} (usually {@link
   * Context#current()} on the caller's thread). Returns false, after telling the failures, when it
   * cannot be queued: {@code maxPending} events are already waiting, or the sender is closed.
   */
  public boolean publish(CloudEvent<?> event, Context trace) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      failures.notSent(event, maxPending + " events already waiting");
      return false;
    }
    try {
      sender.execute(() -> send(event, trace));
      return true;
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
      failures.notSent(event, "shutting down");
      return false;
    }
  }

  /**
   * Events queued and not yet handed to the Kafka producer. An event the producer refuses at once
   * is reported to the failures a moment before it leaves this count.
   */
  public int pending() {
    return pending.get();
  }

  private void send(CloudEvent<?> event, Context trace) {
    try {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(topic, event.key(), CODEC.encode(event));
      record.headers().add("content-type", CONTENT_TYPE);
      propagator.inject(
          trace,
          record,
          (r, key, value) -> r.headers().add(key, value.getBytes(StandardCharsets.UTF_8)));
      producer()
          .send(
              record,
              (metadata, e) -> {
                if (e != null) {
                  failures.notSent(event, e.toString());
                }
              });
    } catch (RuntimeException e) {
      failures.notSent(event, e.toString());
    } finally {
      pending.decrementAndGet();
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer = new KafkaProducer<>(producerConfig);
    }
    return producer;
  }

  /**
   * Sends what was queued before closing, if Kafka answers within a few seconds; returns false if
   * some of it may be unsent.
   */
  public boolean closeWithin(Duration timeout) {
    try {
      sender.execute(
          () -> {
            if (producer != null) {
              producer.close(timeout);
            }
          });
    } catch (RejectedExecutionException e) {
      return true; // closed before
    }
    sender.shutdown();
    try {
      return sender.awaitTermination(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    closeWithin(Duration.ofSeconds(5));
  }
}
