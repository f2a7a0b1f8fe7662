package dev.engram.orchestrator.messaging;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.MessageAppended;
import dev.engram.events.SessionLinked;
import dev.engram.events.SessionStateChanged;
import dev.engram.orchestrator.service.binding.Binding;
import dev.engram.orchestrator.service.binding.HeldContext;
import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.turn.ContextGatherer;
import dev.engram.orchestrator.service.turn.SessionResolver;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the cached state of the bound user's sessions true to session-service: a session paused,
 * completed, archived or linked through the gateway (which calls session-service directly) is
 * dropped from {@link SessionResolver}'s cache, and a link drops the cached parent summaries, so
 * the next turn fetches the session as it is now (and resumes it, or summarises its new parent). A
 * message appended by someone else (the REST API through the gateway) drops the session's last
 * messages held by the instance ({@link HeldContext}, and the recent messages a snapshot keeps:
 * {@link UserState#appended}), so the next turn reads them.
 */
@ApplicationScoped
public class SessionChangesConsumer {

  private final SessionResolver sessions;
  private final ContextGatherer gatherer;
  private final UserState user;

  public SessionChangesConsumer(
      SessionResolver sessions, ContextGatherer gatherer, UserState user) {
    this.sessions = sessions;
    this.gatherer = gatherer;
    this.user = user;
  }

  /**
   * Handles one {@code engram.sessions} event of the user bound by {@code binding} (read and
   * decoded by {@link UserEventsListener}).
   */
  public void consume(CloudEvent<? extends EventData> event, Binding binding) {
    if (!binding.userId().equals(event.userId())) {
      return;
    }
    switch (event.data()) {
      case SessionStateChanged changed -> sessions.forget(changed.sessionId());
      case MessageAppended appended -> user.appended(appended.sessionId(), appended.messageId());
      case SessionLinked linked -> {
        sessions.forget(linked.sessionId());
        gatherer.forget();
      }
      default -> {}
    }
  }
}
