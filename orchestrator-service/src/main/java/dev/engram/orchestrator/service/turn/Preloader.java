package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.MemoryClient;
import dev.engram.orchestrator.client.SessionClient;
import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.binding.Binding;
import dev.engram.orchestrator.service.binding.BindingChanged;
import dev.engram.orchestrator.service.binding.UserState;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Refreshes the pre-loaded context on the user's first contact after a bind: the restored snapshot
 * already holds the current session's last messages, and this brings them (and the profile's facts)
 * up to date from the services in the background. It waits for the first contact because the
 * orchestrator holds no credentials of the user before the user presents a token.
 */
@ApplicationScoped
public class Preloader {

  private final SessionClient sessions;
  private final MemoryClient memories;
  private final UserState user;
  private final int messages;
  private final AtomicReference<Binding> warmed = new AtomicReference<>();

  public Preloader(
      SessionClient sessions, MemoryClient memories, UserState user, OrchestratorConfig config) {
    this.sessions = sessions;
    this.memories = memories;
    this.user = user;
    this.messages = config.context().immediateMessages();
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
    if (sessionId != null) {
      sessions
          .context(sessionId, messages, caller.bearer())
          .subscribe()
          .with(
              recent -> {
                if (user.ownedBy(binding) && sessionId.equals(user.sessionId())) {
                  user.enter(sessionId, recent);
                }
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
