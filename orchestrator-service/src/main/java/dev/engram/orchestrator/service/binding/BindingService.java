package dev.engram.orchestrator.service.binding;

import dev.engram.orchestrator.api.ProblemException;
import dev.engram.orchestrator.service.realtime.ChatHub;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Binds this instance to one user and releases it. Bind and release run one at a time. Bind
 * restores the user's snapshot (working set, current session with its last messages, profile) from
 * Redis and pre-loads the session's last messages as the context the next turn takes; release saves
 * it, closes the user's connections and forgets everything of the user. Either one fails with 503
 * (and changes nothing) when Redis cannot be reached, so no user's state is ever overwritten by an
 * empty one.
 */
@ApplicationScoped
public class BindingService {

  private final BindingState state;
  private final UserState user;
  private final SnapshotStore snapshots;
  private final ChatHub hub;
  private final Clock clock;
  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
  private Queued queuedCheckpoint;

  public BindingService(
      BindingState state, UserState user, SnapshotStore snapshots, ChatHub hub, Clock clock) {
    this.state = state;
    this.user = user;
    this.snapshots = snapshots;
    this.hub = hub;
    this.clock = clock;
  }

  /** The outcome of a bind. */
  public record BindResult(Binding binding, boolean restored) {}

  /** Binds to {@code userId}; idempotent for the bound user, 409 for anyone else. */
  @WithSpan("BindingService.bind")
  public Uni<BindResult> bind(String userId, String claimId) {
    return serially(
        () -> {
          Binding current = state.current().orElse(null);
          if (current != null) {
            if (current.userId().equals(userId)) {
              return Uni.createFrom().item(new BindResult(current, false));
            }
            return Uni.createFrom()
                .failure(ProblemException.conflict("This instance is bound to another user"));
          }
          return snapshots
              .load(userId)
              .map(
                  snapshot -> {
                    user.clear();
                    snapshot.ifPresent(user::restore);
                    Binding binding =
                        new Binding(
                            userId,
                            claimId,
                            clock.instant(),
                            UUID.randomUUID().toString().substring(0, 8));
                    user.assign(binding);
                    hub.reset(binding.epoch());
                    state.bind(binding);
                    // the restored session's last messages, held as if just read: the first turn
                    // does not ask session-service for them (in memory, a dozen messages at most)
                    user.preload(binding);
                    Log.infof(
                        "bound to %s (claim %s, snapshot %s)",
                        userId, claimId, snapshot.isPresent() ? "restored" : "none");
                    return new BindResult(binding, snapshot.isPresent());
                  });
        });
  }

  /** Saves the user's snapshot and returns to unbound; a no-op when unbound. */
  @WithSpan("BindingService.release")
  public Uni<Binding> release() {
    return serially(
        () -> {
          Binding current = state.current().orElse(null);
          if (current == null) {
            return Uni.createFrom().nullItem();
          }
          return store(user.snapshot(current.userId(), clock.instant()))
              .map(
                  saved -> {
                    forget();
                    Log.infof("released %s", current.userId());
                    return current;
                  });
        });
  }

  /**
   * Erases {@code userId} here: the user's snapshot is deleted and, if the user is bound, this
   * instance forgets them without saving one (connections closed, state cleared, back to unbound).
   * Both happen in one serial step, so a bind cannot restore the snapshot in between; a failed
   * delete changes nothing and fails with 503.
   */
  @WithSpan("BindingService.erase")
  public Uni<Void> erase(String userId) {
    return serially(
        () ->
            snapshots
                .delete(userId)
                .invoke(
                    () -> {
                      if (state.boundTo(userId)) {
                        forget();
                        Log.infof("forgot the erased user %s", userId);
                      }
                    }));
  }

  /**
   * Saves the bound user's snapshot (after turns), so a lost pod loses little. The snapshot is
   * taken when the save starts, so a checkpoint asked for while another one of the same binding
   * still waits for its turn adds nothing: that one will hold this state too, and both callers get
   * it.
   */
  public synchronized Uni<Void> checkpoint(Binding binding) {
    Queued waiting = queuedCheckpoint;
    if (waiting != null && waiting.binding() == binding) {
      return waiting.save();
    }
    Object token = new Object();
    Uni<Void> save =
        serially(
                () -> {
                  started(token);
                  return state.isCurrent(binding)
                      ? store(user.snapshot(binding.userId(), clock.instant()))
                      : Uni.createFrom().voidItem();
                })
            .memoize()
            .indefinitely();
    queuedCheckpoint = new Queued(binding, token, save);
    return save;
  }

  private synchronized void started(Object token) {
    if (queuedCheckpoint != null && queuedCheckpoint.token() == token) {
      queuedCheckpoint = null;
    }
  }

  /** A checkpoint waiting for its turn (each caller subscribes to {@code save}). */
  private record Queued(Binding binding, Object token, Uni<Void> save) {}

  /**
   * Saves a snapshot that holds something; an empty one (a user who was erased and came back
   * without saying anything yet) deletes the key instead, so no record of the user is kept for
   * nothing.
   */
  private Uni<Void> store(StmSnapshot snapshot) {
    return snapshot.isEmpty() ? snapshots.delete(snapshot.userId()) : snapshots.save(snapshot);
  }

  private void forget() {
    state.unbind();
    // the epoch ends first: a connection of this binding still being opened is refused from now on
    // (ChatHub.attach), and every one attached before is closed
    hub.reset("none");
    hub.closeAll("released");
    user.clear();
  }

  private synchronized <T> Uni<T> serially(Supplier<Uni<T>> step) {
    CompletableFuture<T> done = new CompletableFuture<>();
    CompletableFuture<?> previous = tail;
    tail = done.exceptionally(e -> null);
    return Uni.createFrom()
        .completionStage(previous)
        .flatMap(ignored -> step.get())
        .invoke(done::complete)
        .onFailure()
        .invoke(done::completeExceptionally)
        .onCancellation()
        .invoke(() -> done.complete(null));
  }
}
