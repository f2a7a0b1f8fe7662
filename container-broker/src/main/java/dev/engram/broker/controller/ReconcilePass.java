package dev.engram.broker.controller;

import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What one reconcile pass works on: the view at its start, the controller's clock, and the
 * instances a step of this pass saw healthy (the view does not show their new heartbeat yet).
 */
public record ReconcilePass(List<Instance> instances, Instant now, Set<String> healthy) {

  public ReconcilePass(List<Instance> instances, Instant now) {
    this(instances, now, ConcurrentHashMap.newKeySet());
  }

  public List<Instance> inPhase(InstancePhase phase) {
    return instances.stream().filter(i -> i.phase() == phase).toList();
  }

  /**
   * Applies {@code action} to every item concurrently; one failing does not stop the others, and
   * the result fails (naming every failure) when any did.
   */
  public static <T> Uni<Void> forEach(Collection<T> items, Function<T, Uni<Void>> action) {
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    return Multi.createFrom()
        .iterable(items)
        .onItem()
        .transformToUniAndMerge(
            item ->
                action
                    .apply(item)
                    .onFailure()
                    .recoverWithItem(
                        e -> {
                          errors.add(String.valueOf(e.getMessage()));
                          return null;
                        }))
        .collect()
        .asList()
        .chain(
            () ->
                errors.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom()
                        .failure(new IllegalStateException(String.join("; ", errors))));
  }
}
