package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.binding.BindingState;
import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.hooks.HookChain;
import dev.engram.orchestrator.service.hooks.IncomingMessage;
import dev.engram.orchestrator.service.hooks.TurnInfo;
import dev.engram.orchestrator.service.realtime.ChatHub;
import dev.engram.orchestrator.service.realtime.Frames;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * First stage of a turn: {@code onMessageReceived} hooks, then the session is resolved (created or
 * resumed as needed) and the store of the user's message in session-service is prepared: it starts
 * when the turn's context is built ({@link Intake#store()}) or at the latest after {@code
 * context.store-wait}. The turn goes on meanwhile (building the context and streaming the answer
 * need only the content); when it is stored every tab is shown it. The user's activity is recorded.
 * The client's id of the message, if it sent one, is the stored message's idempotency key: a
 * message sent again (after a lost connection, or to another binding) is not stored twice.
 */
@ApplicationScoped
public class IntakeStage {

  private final HookChain hooks;
  private final SessionResolver sessions;
  private final UserState user;
  private final ChatHub hub;
  private final BindingState binding;
  private final StageTimers timers;
  private final Vertx vertx;
  private final long storeWaitMillis;

  public IntakeStage(
      HookChain hooks,
      SessionResolver sessions,
      UserState user,
      ChatHub hub,
      BindingState binding,
      StageTimers timers,
      Vertx vertx,
      OrchestratorConfig config) {
    this.timers = timers;
    this.vertx = vertx;
    this.storeWaitMillis = config.context().storeWait().toMillis();
    this.hooks = hooks;
    this.sessions = sessions;
    this.user = user;
    this.hub = hub;
    this.binding = binding;
  }

  @WithSpan("IntakeStage.accept")
  public Uni<Intake> accept(TurnInfo turn, TurnRequest request, Caller caller) {
    long started = System.nanoTime();
    binding.touch();
    IncomingMessage incoming =
        hooks.messageReceived(
            turn, new IncomingMessage(request.sessionId(), request.content(), Map.of()));
    return sessions
        .resolve(incoming.sessionId(), incoming.content(), caller)
        .map(resolved -> start(turn, request, incoming, resolved, caller))
        .invoke(ignored -> timers.record("intake", started));
  }

  private Intake start(
      TurnInfo turn,
      TurnRequest request,
      IncomingMessage incoming,
      SessionResolver.Resolved resolved,
      Caller caller) {
    SessionView session = resolved.session();
    Uni<MessageView> stored =
        sessions
            .append(
                session,
                "user",
                incoming.content(),
                incoming.metadata(),
                request.clientMessageId(),
                caller)
            .invoke(message -> shown(turn, request, session, message, caller))
            .memoize()
            .indefinitely();
    MessageView accepted =
        new MessageView(
            turn.turnId(),
            session.id(),
            -1,
            "user",
            incoming.content(),
            incoming.metadata(),
            Instant.now());
    Intake intake =
        new Intake(
            turn.persisted(session.id(), null), session, resolved.created(), accepted, stored);
    // Started by whichever comes first: the built context (TurnService), this wait, or whoever
    // awaits it (the answer, a failed turn); memoized, so it is stored once and all see the
    // outcome.
    if (storeWaitMillis <= 0) {
      intake.store();
    } else {
      vertx.setTimer(storeWaitMillis, id -> intake.store());
    }
    if (user.ownedBy(caller.binding())) {
      if (resolved.created()) {
        user.enter(session.id(), List.of()); // a new session: it has no messages yet
      } else {
        user.enter(session.id()); // the same session, or one whose messages are read next
      }
      // the time zone a client sends is remembered for the user's requests that name none
      user.updateProfile(p -> p.observe(incoming.content()).withTimeZone(caller.zone()));
      binding.touch();
    }
    return intake;
  }

  private void shown(
      TurnInfo turn, TurnRequest request, SessionView session, MessageView message, Caller caller) {
    if (!user.ownedBy(caller.binding())) {
      return;
    }
    user.remember(message);
    hub.publish(
        caller.binding(),
        Frames.MESSAGE,
        new Frames.Message(
            turn.turnId(),
            request.clientMessageId(),
            session.id(),
            message.id(),
            "user",
            message.content(),
            message.createdAt()));
  }
}
