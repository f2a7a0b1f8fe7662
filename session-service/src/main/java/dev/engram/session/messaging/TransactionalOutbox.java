package dev.engram.session.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.Sources;
import dev.engram.session.model.OutboxEntry;
import dev.engram.session.repository.OutboxRepository;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The writing side of the transactional outbox: every change runs in {@link #transaction} and
 * records its events with {@link #record}, so the change and its events commit together or not at
 * all. The {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
public class TransactionalOutbox {

  private final OutboxRepository repository;
  private final EventCodec codec;
  private final OutboxRelay relay;

  public TransactionalOutbox(OutboxRepository repository, EventCodec codec, OutboxRelay relay) {
    this.repository = repository;
    this.codec = codec;
    this.relay = relay;
  }

  /** Runs {@code work} in one transaction and, once it committed, wakes the relay. */
  public <T> Uni<T> transaction(Supplier<Uni<T>> work) {
    return Panache.withTransaction(work).invoke(relay::wake);
  }

  /**
   * Adds an event of {@code userId} to the outbox, in the caller's transaction, together with the
   * trace context of the current request.
   */
  public Uni<Void> record(String userId, EventData data) {
    return repository.persist(entry(userId, data)).replaceWithVoid();
  }

  /**
   * The outbox row of an event of {@code userId}, with the trace context of the current request,
   * for a caller that stores it itself; it then calls {@link #written} once that committed.
   */
  public OutboxEntry entry(String userId, EventData data) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    CloudEvent<EventData> event =
        CloudEvent.of(UUID.randomUUID().toString(), Sources.SESSION_SERVICE, now, userId, data);
    Map<String, String> trace = new HashMap<>(4);
    W3CTraceContextPropagator.getInstance().inject(Context.current(), trace, Map::put);

    OutboxEntry entry = new OutboxEntry();
    entry.eventId = UUID.fromString(event.id());
    entry.userId = userId;
    entry.topic = event.topic();
    entry.eventType = event.type();
    entry.payload = codec.encodeToString(event);
    entry.traceparent = trace.get("traceparent");
    entry.tracestate = trace.get("tracestate");
    entry.createdAt = now;
    return entry;
  }

  /** Wakes the relay after a write that stored outbox rows outside {@link #transaction}. */
  public void written() {
    relay.wake();
  }
}
