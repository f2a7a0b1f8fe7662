package dev.engram.events;

/** The CloudEvents {@code source} of each producing service. */
public final class Sources {

  public static final String SESSION_SERVICE = "/engram/session-service";
  public static final String MEMORY_SERVICE = "/engram/memory-service";
  public static final String ORCHESTRATOR = "/engram/orchestrator-service";
  public static final String CONTAINER_BROKER = "/engram/container-broker";

  private Sources() {}
}
