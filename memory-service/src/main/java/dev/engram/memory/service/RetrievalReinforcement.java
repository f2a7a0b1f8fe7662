package dev.engram.memory.service;

import dev.engram.events.ReinforcementReason;
import dev.engram.memory.config.MemoryConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Reinforces what searches return (retrieval practice), in the background and coalesced per user:
 * the first retrieval of a window schedules one reinforcement of everything the user's searches
 * return until it ends, so a user searching many times a second costs one write transaction a
 * window instead of one per search, and a memory returned by several of those searches is
 * reinforced once. A window's memories are written in transactions of at most {@code
 * reinforce-chunk} memories, one after another, and a user's windows are written one after another
 * (a window that closes while the previous one is still being written waits for it). What is
 * pending when the service stops is reinforced before it does.
 */
@ApplicationScoped
public class RetrievalReinforcement {

  private static final Logger LOG = Logger.getLogger(RetrievalReinforcement.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  private final MemoryService memories;
  private final Duration window;
  private final int chunk;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  // per user, the end of the window write under way (or queued) last
  private final Map<String, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();

  public RetrievalReinforcement(MemoryService memories, MemoryConfig config) {
    this.memories = memories;
    this.window = config.search().reinforceWindow();
    this.chunk = config.search().reinforceChunk();
  }

  private static final class Pending {
    final Set<UUID> ids = new LinkedHashSet<>();
    String traceparent;
  }

  /** Records that a search returned these memories of the user. */
  public void retrieved(String userId, List<UUID> ids, String traceparent) {
    if (ids.isEmpty()) {
      return;
    }
    boolean[] opened = {false};
    pending.compute(
        userId,
        (user, p) -> {
          if (p == null) {
            p = new Pending();
            opened[0] = true;
          }
          p.ids.addAll(ids);
          if (p.traceparent == null) {
            p.traceparent = traceparent;
          }
          return p;
        });
    if (!opened[0]) {
      return;
    }
    if (window.isZero()) {
      flush(userId).subscribe().with(ok -> {}, e -> {});
    } else {
      Uni.createFrom()
          .voidItem()
          .onItem()
          .delayIt()
          .by(window)
          .chain(() -> flush(userId))
          .subscribe()
          .with(ok -> {}, e -> {});
    }
  }

  /** Reinforces what is pending for the user now. */
  public Uni<Void> flush(String userId) {
    Pending p = pending.remove(userId);
    if (p == null) {
      return Uni.createFrom().voidItem();
    }
    // no one else reaches p now: a retrieval after the removal starts the next window
    return Uni.createFrom()
        .deferred(
            () -> {
              // the user's windows are written one after another: a write that overlapped the
              // previous one would compete with it (and with searches) for nothing
              CompletableFuture<Void> done = new CompletableFuture<>();
              CompletableFuture<Void> previous = writing.put(userId, done);
              Uni<Void> turn =
                  previous == null
                      ? Uni.createFrom().voidItem()
                      : Uni.createFrom().completionStage(previous);
              return turn.chain(() -> write(userId, p))
                  .onTermination()
                  .invoke(
                      () -> {
                        writing.remove(userId, done);
                        done.complete(null);
                      });
            });
  }

  /** Writes one window's reinforcement, in chunks one after another. */
  private Uni<Void> write(String userId, Pending p) {
    List<UUID> ids = List.copyOf(p.ids);
    return io.smallrye.mutiny.Multi.createFrom()
        .iterable(chunks(ids, chunk))
        .onItem()
        .transformToUniAndConcatenate(
            part ->
                Uni.createFrom()
                    .deferred(
                        () -> {
                          ChunkEvent event = new ChunkEvent();
                          event.memories = part.size();
                          event.begin();
                          return memories
                              .reinforce(userId, part, ReinforcementReason.RETRIEVAL, p.traceparent)
                              .onTermination()
                              .invoke(event::commit);
                        })
                    .onFailure()
                    .invoke(
                        e -> LOG.warnf("Reinforcing retrieved memories failed: %s", e.toString()))
                    .onFailure()
                    .recoverWithNull())
        .collect()
        .last()
        .replaceWithVoid();
  }

  /** One chunk of a retrieval reinforcement written (a JFR event, for profiling searches). */
  @jdk.jfr.Name("engram.memory.ReinforcementChunk")
  @jdk.jfr.Label("Retrieval reinforcement chunk")
  @jdk.jfr.Category("Engram")
  @jdk.jfr.StackTrace(false)
  static final class ChunkEvent extends jdk.jfr.Event {
    @jdk.jfr.Label("Memories")
    int memories;
  }

  /** {@code ids} in consecutive parts of at most {@code size} (one part if {@code size} is 0). */
  static List<List<UUID>> chunks(List<UUID> ids, int size) {
    if (size <= 0 || ids.size() <= size) {
      return List.of(ids);
    }
    List<List<UUID>> parts = new java.util.ArrayList<>();
    for (int from = 0; from < ids.size(); from += size) {
      parts.add(ids.subList(from, Math.min(ids.size(), from + size)));
    }
    return parts;
  }

  void onStop(@Observes ShutdownEvent event) {
    List<String> users = List.copyOf(pending.keySet());
    if (users.isEmpty()) {
      return;
    }
    try {
      io.smallrye.mutiny.Multi.createFrom()
          .iterable(users)
          .onItem()
          .transformToUniAndConcatenate(this::flush)
          .collect()
          .last()
          .await()
          .atMost(SHUTDOWN_WAIT);
    } catch (RuntimeException e) {
      LOG.warnf("Reinforcements pending at shutdown not all written: %s", e.toString());
    }
  }
}
