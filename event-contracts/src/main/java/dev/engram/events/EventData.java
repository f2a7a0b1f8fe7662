package dev.engram.events;

/**
 * The payload of a {@link CloudEvent}. Sealed so that a consumer's {@code switch} over the events
 * of a topic is checked for completeness by the compiler.
 */
public sealed interface EventData
    permits SessionCreated,
        SessionStateChanged,
        SessionLinked,
        MessageAppended,
        UserErased,
        MemoryCreated,
        MemoryReinforced,
        MemoryConsolidated,
        MemoryDecayed,
        MemoryArchived,
        FactExtracted,
        ClusterChanged,
        PodWarmed,
        PodClaimed,
        PodReleased,
        PodCulled,
        PoolResized,
        TurnCompleted {

  /** The catalogue entry of this payload: its type name, topic and version. */
  default EventType eventType() {
    return EventType.of(getClass());
  }
}
