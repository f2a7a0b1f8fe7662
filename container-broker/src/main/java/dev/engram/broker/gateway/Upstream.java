package dev.engram.broker.gateway;

/** Where the gateway sends a path. */
public enum Upstream {
  SESSION_SERVICE,
  MEMORY_SERVICE,
  /** The caller's own orchestrator instance (claimed on first use). */
  INSTANCE
}
