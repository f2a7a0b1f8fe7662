package dev.engram.broker.controller;

import io.smallrye.mutiny.Uni;

/**
 * One named step of the pool controller's reconcile pass. A step that fails is recorded in the
 * pool's status and the pass goes on with the next step; nothing is thrown out of a pass.
 */
public interface ReconcileStep {

  /** A short name for status and logs, for example {@code refill}. */
  String name();

  Uni<Void> run(ReconcilePass pass);
}
