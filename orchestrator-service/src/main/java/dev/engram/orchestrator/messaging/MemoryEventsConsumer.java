package dev.engram.orchestrator.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.EventDecodingException;
import dev.engram.events.FactExtracted;
import dev.engram.events.MemoryArchived;
import dev.engram.events.MemoryDecayed;
import dev.engram.orchestrator.service.binding.Binding;
import dev.engram.orchestrator.service.binding.BindingChanged;
import dev.engram.orchestrator.service.binding.BindingState;
import dev.engram.orchestrator.service.binding.HeldContext;
import dev.engram.orchestrator.service.realtime.ChatHub;
import dev.engram.orchestrator.service.realtime.Frames;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;

/**
 * Pushes the bound user's long-term memory changes to every open tab as {@code memory_update}
 * frames: every event on {@code engram.memories} whose user is the bound user (created, reinforced,
 * consolidated, decayed, archived, fact extracted, cluster changed), as read by {@link
 * UserEventsListener}; events of other users are skipped, redeliveries deduplicated. A fact
 * extracted (or a memory archived or decayed) drops the facts the instance holds ({@link
 * HeldContext}), so the next turn reads them.
 */
@ApplicationScoped
public class MemoryEventsConsumer {

  private final BindingState state;
  private final ChatHub hub;
  private final HeldContext held;
  private final EventCodec codec = new EventCodec();
  private final EventDeduplicator seen = new EventDeduplicator(10_000);

  public MemoryEventsConsumer(BindingState state, ChatHub hub, HeldContext held) {
    this.state = state;
    this.hub = hub;
    this.held = held;
  }

  /** The payload of a {@code memory_update} frame. */
  public record MemoryUpdate(String event, String eventId, Instant occurredAt, EventData data) {}

  /** A new binding remembers none of the previous user's event ids. */
  void onBindingChanged(@Observes BindingChanged change) {
    seen.clear();
  }

  /**
   * Handles one {@code engram.memories} record read for {@code binding} (by {@link
   * UserEventsListener}); nothing is pushed once that binding has ended.
   */
  public void consume(byte[] value, Binding binding) {
    CloudEvent<EventData> event;
    try {
      event = codec.decode(value);
    } catch (EventDecodingException e) {
      Log.warnf("skipping an undecodable engram.memories record: %s", e.getMessage());
      return;
    }
    if (!binding.userId().equals(event.userId())
        || !state.isCurrent(binding)
        || !seen.first(event.id())) {
      return;
    }
    if (event.data() instanceof FactExtracted
        || event.data() instanceof MemoryArchived
        || event.data() instanceof MemoryDecayed) {
      held.factsChanged();
    }
    hub.publish(
        binding,
        Frames.MEMORY_UPDATE,
        new MemoryUpdate(event.type(), event.id(), event.time(), event.data()));
  }
}
