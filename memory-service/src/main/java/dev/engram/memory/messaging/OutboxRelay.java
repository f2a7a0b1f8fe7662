package dev.engram.memory.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.memory.repository.MemoryRepository;
import dev.engram.memory.repository.OutboxRepository;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to {@code engram.memories}: the oldest events in order, keyed by user, with
 * the CloudEvents content type and the {@code traceparent} of the change that caused them. Rows are
 * deleted only after Kafka acknowledged them; while Kafka is down they wait and are sent when it
 * returns (at least once; consumers deduplicate on the event id).
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final int BATCH = 200;

  private final MemoryRepository memories;
  private final OutboxRepository outbox;
  private final MemoryEventsProducer producer;
  private volatile boolean started;

  public OutboxRelay(
      MemoryRepository memories, OutboxRepository outbox, MemoryEventsProducer producer) {
    this.memories = memories;
    this.outbox = outbox;
    this.producer = producer;
  }

  /** The schedule may fire before reactive messaging is wired; relay only after start-up. */
  void onStart(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
    started = true;
  }

  @Scheduled(
      every = "${engram.memory.outbox.every:0.2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> relay() {
    if (!started) {
      return Uni.createFrom().voidItem();
    }
    return memories
        .pool()
        .withTransaction(
            c ->
                outbox
                    .lockBatch(c, BATCH)
                    .flatMap(
                        pending ->
                            pending.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : sendAll(pending)
                                    .chain(
                                        () ->
                                            outbox.delete(
                                                c,
                                                pending.stream()
                                                    .map(OutboxRepository.Pending::seq)
                                                    .toList()))))
        .onFailure()
        .invoke(e -> LOG.debugf("Outbox relay will retry: %s", e.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private Uni<Void> sendAll(List<OutboxRepository.Pending> pending) {
    RelayEvent event = new RelayEvent();
    event.events = pending.size();
    event.begin();
    List<Uni<Void>> sends = pending.stream().map(this::send).toList();
    return Uni.join()
        .all(sends)
        .andFailFast()
        .replaceWithVoid()
        .onTermination()
        .invoke(event::commit);
  }

  /** One batch of the outbox sent to Kafka (a JFR event, for profiling). */
  @jdk.jfr.Name("engram.memory.OutboxRelay")
  @jdk.jfr.Label("Outbox batch relayed")
  @jdk.jfr.Category("Engram")
  @jdk.jfr.StackTrace(false)
  static final class RelayEvent extends jdk.jfr.Event {
    @jdk.jfr.Label("Events")
    int events;
  }

  private Uni<Void> send(OutboxRepository.Pending p) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    if (p.traceparent() != null) {
      headers.add("traceparent", p.traceparent().getBytes(StandardCharsets.UTF_8));
    }
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(p.topic())
            .withKey(p.key())
            .withHeaders(headers)
            .build();
    return producer.send(
        Message.of(p.payload().getBytes(StandardCharsets.UTF_8)).addMetadata(metadata));
  }
}
