package dev.engram.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The event catalogue: every event type, the topic it is published on, its current version and its
 * payload record. A breaking change to a payload is a new version (and a new schema file).
 */
public enum EventType {
  SESSION_CREATED("session.created", Topics.SESSIONS, 1, SessionCreated.class),
  SESSION_STATE_CHANGED("session.state-changed", Topics.SESSIONS, 1, SessionStateChanged.class),
  SESSION_LINKED("session.linked", Topics.SESSIONS, 1, SessionLinked.class),
  MESSAGE_APPENDED("message.appended", Topics.SESSIONS, 1, MessageAppended.class),
  USER_ERASED("user.erased", Topics.SESSIONS, 1, UserErased.class),

  MEMORY_CREATED("memory.created", Topics.MEMORIES, 1, MemoryCreated.class),
  MEMORY_REINFORCED("memory.reinforced", Topics.MEMORIES, 1, MemoryReinforced.class),
  MEMORY_CONSOLIDATED("memory.consolidated", Topics.MEMORIES, 1, MemoryConsolidated.class),
  MEMORY_DECAYED("memory.decayed", Topics.MEMORIES, 1, MemoryDecayed.class),
  MEMORY_ARCHIVED("memory.archived", Topics.MEMORIES, 1, MemoryArchived.class),
  FACT_EXTRACTED("fact.extracted", Topics.MEMORIES, 1, FactExtracted.class),
  CLUSTER_CHANGED("cluster.changed", Topics.MEMORIES, 1, ClusterChanged.class),

  POD_WARMED("pod.warmed", Topics.PODS, 1, PodWarmed.class),
  POD_CLAIMED("pod.claimed", Topics.PODS, 1, PodClaimed.class),
  POD_RELEASED("pod.released", Topics.PODS, 1, PodReleased.class),
  POD_CULLED("pod.culled", Topics.PODS, 1, PodCulled.class),
  POOL_RESIZED("pool.resized", Topics.PODS, 1, PoolResized.class),

  TURN_COMPLETED("turn.completed", Topics.TURNS, 1, TurnCompleted.class);

  private static final Map<String, EventType> BY_NAME =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(t -> t.typeName, Function.identity()));
  private static final Map<Class<?>, EventType> BY_CLASS =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(t -> t.dataClass, Function.identity()));

  private final String typeName;
  private final String topic;
  private final int version;
  private final Class<? extends EventData> dataClass;

  EventType(String typeName, String topic, int version, Class<? extends EventData> dataClass) {
    this.typeName = typeName;
    this.topic = topic;
    this.version = version;
    this.dataClass = dataClass;
  }

  /** The CloudEvents {@code type} attribute, for example {@code message.appended}. */
  public String typeName() {
    return typeName;
  }

  /** The Kafka topic the event is published on. */
  public String topic() {
    return topic;
  }

  /** The current payload version ({@code dataversion} attribute). */
  public int version() {
    return version;
  }

  /** The payload record. */
  public Class<? extends EventData> dataClass() {
    return dataClass;
  }

  /** The classpath resource holding the JSON Schema of this event's current version. */
  public String schemaResource() {
    return "/schemas/" + typeName + ".v" + version + ".schema.json";
  }

  /** Looks a type up by its CloudEvents {@code type} attribute. */
  public static Optional<EventType> byName(String typeName) {
    return Optional.ofNullable(BY_NAME.get(typeName));
  }

  static EventType of(Class<?> dataClass) {
    EventType type = BY_CLASS.get(dataClass);
    if (type == null) {
      throw new IllegalArgumentException("Not an event payload: " + dataClass.getName());
    }
    return type;
  }
}
