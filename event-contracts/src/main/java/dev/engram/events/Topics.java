package dev.engram.events;

import java.util.List;

/**
 * Kafka topic names. Every record on them is a {@link CloudEvent} keyed by {@link
 * CloudEvent#key()}.
 */
public final class Topics {

  /** Sessions and messages, published by session-service through its transactional outbox. */
  public static final String SESSIONS = "engram.sessions";

  /** Long-term memory lifecycle, published by memory-service. */
  public static final String MEMORIES = "engram.memories";

  /** Warm pool and per-user runtime changes, published by container-broker. */
  public static final String PODS = "engram.pods";

  /** Turn metrics (sizes and latencies, never content), published by orchestrator-service. */
  public static final String TURNS = "engram.turns";

  /** Every topic, in the order of the event catalogue. */
  public static final List<String> ALL = List.of(SESSIONS, MEMORIES, PODS, TURNS);

  private Topics() {}
}
