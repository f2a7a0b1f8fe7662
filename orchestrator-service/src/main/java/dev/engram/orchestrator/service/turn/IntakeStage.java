package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.service.binding.BindingState;
import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.hooks.HookChain;
import dev.engram.orchestrator.service.hooks.IncomingMessage;
import dev.engram.orchestrator.service.hooks.TurnInfo;
import dev.engram.orchestrator.service.realtime.ChatHub;
import dev.engram.orchestrator.service.realtime.Frames;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * First stage of a turn: {@code onMessageReceived} hooks, then the session is resolved (created or
 * resumed as needed) and the user's message stored in session-service; every tab is shown the
 * stored message, and the user's activity is recorded.
 */
@ApplicationScoped
public class IntakeStage {

  private final HookChain hooks;
  private final SessionResolver sessions;
  private final UserState user;
  private final ChatHub hub;
  private final BindingState binding;

  public IntakeStage(
      HookChain hooks,
      SessionResolver sessions,
      UserState user,
      ChatHub hub,
      BindingState binding) {
    this.hooks = hooks;
    this.sessions = sessions;
    this.user = user;
    this.hub = hub;
    this.binding = binding;
  }

  @WithSpan("IntakeStage.accept")
  public Uni<Intake> accept(TurnInfo turn, TurnRequest request, Caller caller) {
    binding.touch();
    IncomingMessage incoming =
        hooks.messageReceived(
            turn, new IncomingMessage(request.sessionId(), request.content(), java.util.Map.of()));
    return sessions
        .resolve(incoming.sessionId(), incoming.content(), caller)
        .flatMap(
            session ->
                sessions
                    .append(session, "user", incoming.content(), incoming.metadata(), caller)
                    .map(
                        message ->
                            new Intake(
                                turn.persisted(session.id(), message.id()), session, message)))
        .invoke(
            intake -> {
              if (!user.ownedBy(caller.binding())) {
                return;
              }
              if (!intake.session().id().equals(user.sessionId())) {
                user.enter(intake.session().id(), List.of());
              }
              user.remember(intake.message());
              user.updateProfile(p -> p.observe(intake.message().content()));
              binding.touch();
              hub.publish(
                  Frames.MESSAGE,
                  new Frames.Message(
                      turn.turnId(),
                      request.clientMessageId(),
                      intake.session().id(),
                      intake.message().id(),
                      "user",
                      intake.message().content(),
                      intake.message().createdAt()));
            });
  }
}
