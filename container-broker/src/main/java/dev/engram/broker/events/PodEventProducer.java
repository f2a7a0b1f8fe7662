package dev.engram.broker.events;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.Sources;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the pool's events on {@code engram.pods} as CloudEvents keyed by user (or by source for
 * system events). Fire and forget: a claim never waits for Kafka, and a failed send is logged.
 */
@ApplicationScoped
public class PodEventProducer {

  private static final Logger LOG = Logger.getLogger(PodEventProducer.class);
  private static final EventCodec CODEC = new EventCodec();

  private final Emitter<byte[]> emitter;

  PodEventProducer(
      @Channel("engram-pods") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          Emitter<byte[]> emitter) {
    this.emitter = emitter;
  }

  /** Publishes one event for {@code userId} (null for system events). */
  public void publish(String userId, EventData data) {
    CloudEvent<EventData> event = CloudEvent.of(Sources.CONTAINER_BROKER, userId, data);
    RecordHeaders headers = new RecordHeaders();
    headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withKey(event.key())
            .withHeaders(headers)
            .build();
    try {
      emitter.send(
          Message.of(CODEC.encode(event))
              .addMetadata(metadata)
              .withAck(() -> CompletableFuture.completedFuture(null))
              .withNack(
                  failure -> {
                    LOG.warnf("Could not publish %s %s: %s", event.type(), event.id(), failure);
                    return CompletableFuture.completedFuture(null);
                  }));
    } catch (RuntimeException e) {
      LOG.warnf("Could not publish %s %s: %s", event.type(), event.id(), e.getMessage());
    }
  }
}
