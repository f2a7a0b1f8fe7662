package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.MemoryClient;
import dev.engram.orchestrator.client.SessionClient;
import dev.engram.orchestrator.service.binding.Binding;
import dev.engram.orchestrator.service.binding.BindingChanged;
import dev.engram.orchestrator.service.binding.HeldContext;
import dev.engram.orchestrator.service.binding.UserState;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Refreshes the pre-loaded context on the user's first WebSocket connection after a bind. The bind
 * itself pre-loads what the restored snapshot holds (the current session's last messages, held in
 * {@link HeldContext} as if just read: {@link UserState#preload}); it cannot ask the services,
 * since the orchestrator holds no credentials of the user before the user presents a token. Once a
 * tab connects with one, this reads the session's last messages (which may have grown through the
 * gateway while the user was unbound) in the background and holds them as a turn's own read would
 * be held: not if the binding ended or they changed while they were read; and it brings the
 * profile's facts up to date.
 */
@ApplicationScoped
public class Preloader {

  private final SessionClient sessions;
  private final MemoryClient memories;
  private final UserState user;
  private final HeldContext held;
  private final AtomicReference<Binding> warmed = new AtomicReference<>();

  public Preloader(
      SessionClient sessions, MemoryClient memories, UserState user, HeldContext held) {
    this.sessions = sessions;
    this.memories = memories;
    this.user = user;
    this.held = held;
  }

  /** Forgets the binding it warmed (nothing of the previous user stays referenced). */
  void onBindingChanged(@Observes BindingChanged change) {
    warmed.set(null);
  }

  /** Starts the refresh once per binding. */
  public void warm(Caller caller) {
    Binding binding = caller.binding();
    Binding previous = warmed.get();
    if (previous == binding || !warmed.compareAndSet(previous, binding)) {
      return;
    }
    UUID sessionId = user.sessionId();
    if (sessionId != null && user.ownedBy(binding)) {
      long epoch = held.messagesEpoch(binding);
      sessions
          .context(sessionId, held.limit(), caller.bearer())
          .subscribe()
          .with(
              recent -> {
                // unchanged since the read began: no message appended elsewhere, same binding
                if (held.messagesEpoch(binding) == epoch
                    && user.ownedBy(binding)
                    && sessionId.equals(user.sessionId())) {
                  user.enter(sessionId, recent);
                }
                held.heldMessages(sessionId, recent, epoch);
              },
              e -> Log.debugf("pre-loading the session failed: %s", e.getMessage()));
    }
    memories
        .facts(caller.bearer())
        .subscribe()
        .with(
            facts -> {
              if (user.ownedBy(binding)) {
                user.updateProfile(p -> ContextBuilder.withFacts(p, facts));
              }
            },
            e -> Log.debugf("pre-loading facts failed: %s", e.getMessage()));
  }
}
