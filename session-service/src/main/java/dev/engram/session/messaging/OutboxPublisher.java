package dev.engram.session.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.session.config.SessionConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends outbox rows to Kafka and waits for the broker's acknowledgement of every one. The producer
 * is idempotent with {@code acks=all}, so the records of one key reach their partition in the order
 * they were sent. Used by the relay's thread only.
 */
@ApplicationScoped
public class OutboxPublisher {

  private static final byte[] CONTENT_TYPE =
      CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

  private final Map<String, Object> producerConfig;
  private final Duration publishTimeout;
  private KafkaProducer<String, byte[]> producer;

  public OutboxPublisher(
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, SessionConfig config) {
    this.publishTimeout = config.outbox().publishTimeout();
    Map<String, Object> settings = new HashMap<>(kafkaConfig);
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "session-service-outbox");
    int timeout = Math.toIntExact(publishTimeout.toMillis());
    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeout);
    settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 10_000));
    settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeout, 10_002));
    this.producerConfig = Map.copyOf(settings);
  }

  /**
   * Sends every event of {@code batch}, in order, and returns when all were acknowledged; throws
   * {@link PublishException} if any was not within the publish timeout.
   */
  public void publish(List<PendingEvent> batch) {
    long deadline = System.nanoTime() + publishTimeout.toNanos();
    try {
      List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
      for (PendingEvent event : batch) {
        acks.add(producer().send(toRecord(event)));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      reset();
      throw new PublishException("Kafka refused an outbox event", e.getCause());
    } catch (TimeoutException | RuntimeException e) {
      reset();
      throw new PublishException("Kafka did not acknowledge the outbox events in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reset();
      throw new PublishException("Interrupted while publishing", e);
    }
  }

  private static ProducerRecord<String, byte[]> toRecord(PendingEvent event) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("content-type", CONTENT_TYPE);
    if (event.traceparent() != null) {
      headers.add("traceparent", event.traceparent().getBytes(StandardCharsets.US_ASCII));
    }
    if (event.tracestate() != null) {
      headers.add("tracestate", event.tracestate().getBytes(StandardCharsets.US_ASCII));
    }
    return new ProducerRecord<>(
        event.topic(),
        null,
        event.key(),
        event.payload().getBytes(StandardCharsets.UTF_8),
        headers);
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer = new KafkaProducer<>(producerConfig);
    }
    return producer;
  }

  /**
   * Drops the producer after a failure, so the next round starts with fresh sequence numbers
   * instead of a producer whose earlier batches expired.
   */
  private void reset() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  @PreDestroy
  void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** A batch that Kafka did not acknowledge; the relay retries it. */
  public static final class PublishException extends RuntimeException {
    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
