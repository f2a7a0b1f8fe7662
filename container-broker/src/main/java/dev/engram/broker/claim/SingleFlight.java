package dev.engram.broker.claim;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One operation in flight per user in this replica: a caller arriving while the user's operation
 * runs shares its outcome instead of starting a second one; the next caller after it ended starts
 * anew.
 */
final class SingleFlight<T> {

  private final Map<String, Uni<T>> inFlight = new ConcurrentHashMap<>();

  /** The user's operation in flight, or {@code operation} for the user started as it. */
  Uni<T> run(String userId, Function<String, Uni<T>> operation) {
    return Uni.createFrom()
        .deferred(
            () ->
                inFlight.computeIfAbsent(
                    userId,
                    u ->
                        operation
                            .apply(u)
                            .onTermination()
                            .invoke(() -> inFlight.remove(u))
                            .memoize()
                            .indefinitely()));
  }
}
