package dev.engram.broker.runtime;

import dev.engram.broker.pool.Activity;
import dev.engram.broker.pool.Instance;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Where orchestrator instances live: pods in a Kubernetes namespace or child processes on this
 * machine. A runtime keeps a current view of its instances (rebuilt from the source of truth when
 * it starts) and tells its listeners whenever that view changes; the pool controller and the claim
 * service decide what to do with it.
 */
public interface PodRuntime {

  /** {@code kubernetes} or {@code local-process}; also the {@code runtime} of pod.warmed. */
  String name();

  /** Starts observing (and rebuilds the view from the source of truth). */
  void start();

  /** Stops observing; the instances keep running. */
  void stop();

  /** Every instance of the pool as last observed. */
  Collection<Instance> instances();

  /** One instance by name. */
  default Optional<Instance> find(String name) {
    return instances().stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** Registers a listener called (on any thread) after every change of the view. */
  void onChange(Runnable listener);

  /** Creates a new unbound instance; it is {@code STARTING} until ready. */
  Uni<Instance> create();

  /**
   * Records {@code userId} as the owner of a warm instance, atomically: fails with {@link
   * ClaimConflictException} when the instance changed since it was observed (another claim won).
   */
  Uni<Instance> claim(Instance warm, String userId, String claimId);

  /**
   * Ends the binding {@code bound} was observed with (its user and claim): the instance returns to
   * the warm pool. Never touches another binding: when the instance is unbound already, or bound by
   * another claim meanwhile (released and claimed again, by another replica too), nothing is
   * written and the answer is false (nothing to undo); true when this call unbound it.
   */
  Uni<Boolean> unbind(Instance bound);

  /**
   * Deletes a warm instance only if it is unchanged since observed (not claimed meanwhile): fails
   * with {@link ClaimConflictException} otherwise.
   */
  Uni<Void> retire(Instance warm);

  /** Deletes an instance (stopping its process or pod gracefully). */
  Uni<Void> delete(Instance instance);

  /**
   * Records the broker's last positive observation of an instance, and for a bound one the activity
   * it reported ({@code activity}; null for a warm one), which a restarted broker reads back. Only
   * while the instance holds the binding it was observed with (none for a warm one): a heartbeat
   * that arrives after that binding ended is dropped, so no former user's activity is recorded on
   * an unbound instance or on the next user's binding. True when recorded, false when dropped.
   */
  Uni<Boolean> heartbeat(Instance instance, Instant at, Activity activity);
}
