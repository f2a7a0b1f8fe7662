package dev.engram.broker.events;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.Sources;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the pool's events on {@code engram.pods} as CloudEvents keyed by user (or by source for
 * system events). Fire and forget: a claim never waits for Kafka, and a failed send is logged.
 *
 * <p>The event is stamped where it happens; encoding it and handing it to the Kafka producer (JSON,
 * the connector's stream, the producer's own send) run on one thread of this class, in the order
 * the events were published and in the trace that was current then, so a claim answers without
 * doing that work on its event loop and a user's events stay in order.
 */
@ApplicationScoped
public class PodEventProducer {

  private static final Logger LOG = Logger.getLogger(PodEventProducer.class);
  private static final EventCodec CODEC = new EventCodec();

  private final Emitter<byte[]> emitter;
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("engram-pod-events").unstarted(r));

  PodEventProducer(
      @Channel("engram-pods") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          Emitter<byte[]> emitter) {
    this.emitter = emitter;
  }

  /** Publishes one event for {@code userId} (null for system events). */
  public void publish(String userId, EventData data) {
    CloudEvent<EventData> event = CloudEvent.of(Sources.CONTAINER_BROKER, userId, data);
    try {
      // in the trace of what caused it, as when it was sent from here
      sender.execute(Context.current().wrap(() -> send(event)));
    } catch (RejectedExecutionException e) {
      send(event); // shutting down: sent from here, as before
    }
  }

  /** Sends what was published before shutting down. */
  @PreDestroy
  void drain() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("Pool events still unsent at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(CloudEvent<EventData> event) {
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
