package dev.engram.orchestrator.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.Sources;
import dev.engram.events.TurnCompleted;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes {@code turn.completed} on {@code engram.turns}, keyed by user. Fire and forget: a turn
 * never waits for Kafka; while Kafka is down the emitter buffers, and an event that cannot be
 * buffered is logged (these are metrics, not state).
 */
@ApplicationScoped
public class TurnProducer {

  private final MutinyEmitter<byte[]> emitter;
  private final EventCodec codec = new EventCodec();

  public TurnProducer(@Channel("engram-turns") MutinyEmitter<byte[]> emitter) {
    this.emitter = emitter;
  }

  public void publish(String userId, TurnCompleted turn) {
    CloudEvent<TurnCompleted> event = CloudEvent.of(Sources.ORCHESTRATOR, userId, turn);
    RecordHeaders headers = new RecordHeaders();
    headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    Message<byte[]> message =
        Message.of(codec.encode(event))
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(event.key())
                    .withHeaders(headers)
                    .build());
    emitter
        .sendMessage(message)
        .subscribe()
        .with(
            ok -> {},
            e -> Log.warnf("turn.completed %s not published: %s", event.id(), e.getMessage()));
  }
}
