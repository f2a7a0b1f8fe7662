package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.hooks.HookChain;
import dev.engram.orchestrator.service.hooks.IncomingMessage;
import dev.engram.orchestrator.service.hooks.TurnInfo;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Second stage of a turn: gather from the services, attend (short-term memory), assemble within the
 * budget, then the {@code onContextBuilt} hooks. Also builds previews: the same context without
 * touching the working set.
 */
@ApplicationScoped
public class ContextStage {

  private final ContextGatherer gatherer;
  private final ContextBuilder builder;
  private final AttentionStage attention;
  private final UserState user;
  private final HookChain hooks;
  private final StageTimers timers;

  public ContextStage(
      ContextGatherer gatherer,
      ContextBuilder builder,
      AttentionStage attention,
      UserState user,
      HookChain hooks,
      StageTimers timers) {
    this.timers = timers;
    this.gatherer = gatherer;
    this.builder = builder;
    this.attention = attention;
    this.user = user;
    this.hooks = hooks;
  }

  @WithSpan("ContextStage.build")
  public Uni<Built> build(Intake intake, Caller caller) {
    String content = intake.message().content();
    return gatherer
        .gather(intake.session(), intake.created(), content, inUsersZone(caller))
        .map(
            all -> {
              long started = System.nanoTime();
              Gathered gathered = all.withoutEcho(intake.message());
              learn(gathered, intake.session(), caller);
              attention.attend(
                  builder.attentionCandidates(intake.message(), gathered.hits()), caller);
              AssembledContext context =
                  builder.assemble(
                      content, intake.message().id(), gathered, user.stm().items(), user.profile());
              Built built =
                  new Built(
                      hooks.contextBuilt(intake.turn(), context),
                      gathered.range(),
                      gathered.degraded());
              timers.record("assembly", started);
              return built;
            });
  }

  /** The context a message would get now in {@code session} (may be null), changing nothing. */
  @WithSpan("ContextStage.preview")
  public Uni<Built> preview(SessionView session, String query, Caller caller) {
    TurnInfo turn = TurnInfo.start(UUID.randomUUID(), caller.userId());
    turn.attributes().put("preview", true);
    IncomingMessage message =
        hooks.messageReceived(
            turn, new IncomingMessage(session == null ? null : session.id(), query, null));
    return gatherer
        .preview(session, message.content(), inUsersZone(caller))
        .map(
            gathered -> {
              AssembledContext context =
                  builder.assemble(
                      message.content(),
                      UUID.randomUUID(),
                      gathered,
                      user.stm().items(),
                      ContextBuilder.withFacts(user.profile(), gathered.facts()));
              return new Built(
                  hooks.contextBuilt(turn, context), gathered.range(), gathered.degraded());
            });
  }

  /**
   * The caller in the time zone its request named, else in the one its user's client last sent
   * (remembered in the profile, so it outlives a release); null, the configured zone, when neither.
   */
  private Caller inUsersZone(Caller caller) {
    return caller.zone() != null || !user.ownedBy(caller.binding())
        ? caller
        : caller.withZone(user.profile().timeZone());
  }

  private void learn(Gathered gathered, SessionView session, Caller caller) {
    if (!user.ownedBy(caller.binding())) {
      return;
    }
    if (!gathered.degraded().contains("immediate") && !gathered.immediate().isEmpty()) {
      user.enter(session.id(), gathered.immediate());
    }
    if (!gathered.degraded().contains("facts")) {
      user.updateProfile(p -> ContextBuilder.withFacts(p, gathered.facts()));
    }
  }
}
