package dev.engram.broker.gateway;

/** Where the gateway sends a path. */
public enum Upstream {
  SESSION_SERVICE("session-service"),
  MEMORY_SERVICE("memory-service"),
  /** The caller's own orchestrator instance (claimed on first use). */
  INSTANCE("your instance");

  private final String displayName;

  Upstream(String displayName) {
    this.displayName = displayName;
  }

  /** How a problem's detail names it. */
  public String displayName() {
    return displayName;
  }
}
