package dev.engram.broker.claim;

import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.runtime.PodRuntime;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Waits, without polling, until a starting instance is warm: the runtime's view says when. */
@ApplicationScoped
public class InstanceWaiter {

  private final PodRuntime runtime;
  private final Map<String, CompletableFuture<Instance>> waiting = new ConcurrentHashMap<>();

  InstanceWaiter(PodRuntime runtime) {
    this.runtime = runtime;
    runtime.onChange(this::look);
  }

  /** The instance once warm; fails when it failed, vanished or did not get ready in time. */
  public Uni<Instance> awaitWarm(String name, Duration timeout) {
    CompletableFuture<Instance> future =
        waiting.computeIfAbsent(name, n -> new CompletableFuture<>());
    check(name, future);
    return Uni.createFrom()
        .completionStage(future)
        .ifNoItem()
        .after(timeout)
        .failWith(() -> new InstanceCallException(name + " was not ready in " + timeout, 0, null))
        .onTermination()
        .invoke(() -> waiting.remove(name));
  }

  private void look() {
    waiting.forEach(this::check);
  }

  private void check(String name, CompletableFuture<Instance> future) {
    Optional<Instance> instance = runtime.find(name);
    if (instance.isEmpty()) {
      return; // not in the view yet (an informer may lag behind the create)
    }
    InstancePhase phase = instance.get().phase();
    if (phase == InstancePhase.WARM) {
      future.complete(instance.get());
    } else if (phase == InstancePhase.FAILING || phase == InstancePhase.TERMINATING) {
      future.completeExceptionally(
          new InstanceCallException(name + " failed while starting", 0, null));
    }
  }
}
