package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.api.ProblemException;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.service.hooks.TurnInfo;
import dev.engram.orchestrator.service.realtime.ChatHub;
import dev.engram.orchestrator.service.realtime.Frames;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One turn, from the user's message to the stored answer: intake (hooks, session, store the
 * message), context (gather, attend, assemble, hooks), answer (stream, hooks, store), then {@code
 * done} with a context summary and {@code turn.completed}. Every frame goes to every tab. A failure
 * ends the turn with an {@code error} frame; a message already stored stays stored.
 */
@ApplicationScoped
public class TurnService {

  private final IntakeStage intake;
  private final ContextStage context;
  private final AnswerStage answer;
  private final TurnRecorder recorder;
  private final ChatHub hub;

  public TurnService(
      IntakeStage intake,
      ContextStage context,
      AnswerStage answer,
      TurnRecorder recorder,
      ChatHub hub) {
    this.intake = intake;
    this.context = context;
    this.answer = answer;
    this.recorder = recorder;
    this.hub = hub;
  }

  @WithSpan("TurnService.run")
  public Uni<TurnResult> run(TurnRequest request, Caller caller) {
    long started = System.nanoTime();
    TurnInfo turn = TurnInfo.start(UUID.randomUUID(), caller.userId());
    AtomicReference<Intake> accepted = new AtomicReference<>();
    AtomicReference<Built> built = new AtomicReference<>();
    return intake
        .accept(turn, request, caller)
        .invoke(accepted::set)
        .flatMap(in -> context.build(in, caller))
        .invoke(built::set)
        .invoke(b -> accepted.get().store())
        .flatMap(b -> answer.answer(accepted.get(), b, request.clientMessageId(), caller))
        .map(a -> finish(request, caller, accepted.get(), built.get(), a, started))
        .onFailure()
        .recoverWithUni(
            e ->
                settled(accepted.get())
                    .invoke(
                        stored ->
                            fail(
                                request,
                                caller,
                                turn,
                                accepted.get(),
                                built.get(),
                                stored,
                                e,
                                started))
                    .flatMap(ignored -> Uni.createFrom().failure(e)));
  }

  /**
   * The stored user message of a failed turn, or null: a failure is reported once the store of the
   * message has settled, so its {@code message} frame (if it was stored) comes before the {@code
   * error} and the recorded turn names it.
   */
  private static Uni<MessageView> settled(Intake in) {
    if (in == null) {
      return Uni.createFrom().nullItem();
    }
    return in.stored().onFailure().recoverWithNull();
  }

  private TurnResult finish(
      TurnRequest request, Caller caller, Intake in, Built b, Answer a, long started) {
    long total = millisSince(started);
    long first =
        a.firstTokenNanos() < 0
            ? total
            : TimeUnit.NANOSECONDS.toMillis(a.firstTokenNanos() - started);
    ContextSummary summary = b.summary();
    String provider = answer.provider().name();
    boolean offline = answer.provider().offline();
    hub.publish(
        caller.binding(),
        Frames.DONE,
        new Frames.Done(
            in.turn().turnId(),
            request.clientMessageId(),
            in.session().id(),
            a.question().id(),
            a.message().id(),
            a.content(),
            provider,
            offline,
            summary));
    recorder.completed(
        caller,
        new TurnRecorder.Measures(
            in.session().id(),
            a.question().id(),
            a.message().id(),
            summary.tokens(),
            summary.items(),
            summary.bySource(),
            a.tokens(),
            first,
            total,
            provider));
    return new TurnResult(
        in.turn().turnId(),
        in.session().id(),
        a.question().id(),
        a.message().id(),
        a.content(),
        provider,
        offline,
        summary,
        first,
        total);
  }

  private void fail(
      TurnRequest request,
      Caller caller,
      TurnInfo turn,
      Intake in,
      Built b,
      MessageView stored,
      Throwable failure,
      long started) {
    ProblemException problem =
        failure instanceof ProblemException p
            ? p
            : ProblemException.unavailable("The turn failed: " + failure.getMessage());
    if (!(failure instanceof ProblemException)) {
      Log.errorf(failure, "turn %s failed", turn.turnId());
    }
    hub.publish(
        caller.binding(),
        Frames.ERROR,
        new Frames.Error(problem.problem(), request.clientMessageId(), turn.turnId()));
    if (in != null) {
      long total = millisSince(started);
      recorder.failed(
          caller,
          new TurnRecorder.Measures(
              in.session().id(),
              stored == null ? null : stored.id(),
              null,
              b == null ? 0 : b.context().tokens(),
              b == null ? 0 : b.context().items().size(),
              b == null ? Map.of() : b.context().countsBySource(),
              0,
              0,
              total,
              answer.provider().name()));
    }
  }

  private static long millisSince(long started) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
  }
}
