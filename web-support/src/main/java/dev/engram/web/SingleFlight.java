package dev.engram.web;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One operation in flight per key in this process: a caller arriving while the key's operation runs
 * shares its outcome instead of starting a second one; the next caller after it ended starts anew.
 * A caller who goes away (cancels) leaves the operation running for the others.
 */
public final class SingleFlight<T> {

  private final Map<String, Uni<T>> inFlight = new ConcurrentHashMap<>();

  /** The key's operation in flight, or {@code operation} for the key started as it. */
  public Uni<T> run(String key, Function<String, Uni<T>> operation) {
    return Uni.createFrom()
        .deferred(
            () ->
                inFlight.computeIfAbsent(
                    key,
                    u ->
                        operation
                            .apply(u)
                            .onTermination()
                            .invoke(() -> inFlight.remove(u))
                            .memoize()
                            .indefinitely()));
  }
}
