package dev.engram.broker.pool;

/** Where an orchestrator instance is in its life, as the broker sees it. */
public enum InstancePhase {
  /** Created, not ready yet. */
  STARTING,
  /** Ready and unbound: can be claimed. */
  WARM,
  /** Bound to one user. */
  BOUND,
  /** Did not become ready, crashed or stopped answering; will be culled. */
  FAILING,
  /** Being deleted. */
  TERMINATING
}
