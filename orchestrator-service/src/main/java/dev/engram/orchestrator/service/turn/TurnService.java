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
import java.util.concurrent.CompletableFuture;
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
  private final TurnLedger ledger;

  public TurnService(
      IntakeStage intake,
      ContextStage context,
      AnswerStage answer,
      TurnRecorder recorder,
      ChatHub hub,
      TurnLedger ledger) {
    this.intake = intake;
    this.context = context;
    this.answer = answer;
    this.recorder = recorder;
    this.hub = hub;
    this.ledger = ledger;
  }

  /**
   * Starts the turn of {@code request}, unless its client id is one the binding has taken already
   * ({@link TurnLedger}): then no second turn runs, and the first one's outcome is the answer
   * (running or completed). The same id with another content or session is refused (422). A new
   * turn runs to its end even if the client goes away meanwhile.
   */
  public Submission submit(TurnRequest request, Caller caller) {
    TurnLedger.Claim claim = ledger.claim(caller.binding(), request);
    if (claim == null) {
      Uni<TurnResult> turn = run(request, caller).memoize().indefinitely();
      turn.subscribe().with(result -> {}, failure -> {});
      return new Submission.Started(turn);
    }
    TurnLedger.Taken taken = claim.taken();
    Uni<TurnResult> outcome =
        Uni.createFrom().completionStage(taken.outcome()).map(TurnLedger.Outcome::result);
    if (!claim.first()) {
      CompletableFuture<TurnLedger.Outcome> first = taken.outcome();
      return first.isDone() && !first.isCompletedExceptionally()
          ? new Submission.Completed(first.join(), request.clientMessageId())
          : new Submission.Running(outcome);
    }
    execute(request, caller, taken).subscribe().with(done -> {}, failure -> {});
    return new Submission.Started(outcome);
  }

  /** Runs one turn (its client id, if any, is not looked up: see {@link #submit}). */
  public Uni<TurnResult> run(TurnRequest request, Caller caller) {
    return execute(request, caller, null).map(TurnLedger.Outcome::result);
  }

  /**
   * Runs one turn; its outcome goes to {@code taken} (if not null) before the tabs are told, so a
   * client that sends the message again once it sees {@code done} or {@code error} finds it
   * settled.
   */
  @WithSpan("TurnService.run")
  Uni<TurnLedger.Outcome> execute(TurnRequest request, Caller caller, TurnLedger.Taken taken) {
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
        .map(a -> finish(request, caller, accepted.get(), built.get(), a, started, taken))
        .onFailure()
        .recoverWithUni(
            e ->
                settled(accepted.get())
                    .invoke(() -> ledger.failed(taken, e))
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

  private TurnLedger.Outcome finish(
      TurnRequest request,
      Caller caller,
      Intake in,
      Built b,
      Answer a,
      long started,
      TurnLedger.Taken taken) {
    long total = millisSince(started);
    long first =
        a.firstTokenNanos() < 0
            ? total
            : TimeUnit.NANOSECONDS.toMillis(a.firstTokenNanos() - started);
    ContextSummary summary = b.summary();
    String provider = answer.provider().name();
    boolean offline = answer.provider().offline();
    TurnResult result =
        new TurnResult(
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
    TurnLedger.Outcome outcome = new TurnLedger.Outcome(result, a.question());
    ledger.completed(taken, outcome);
    hub.publish(caller.binding(), Frames.DONE, Frames.Done.of(result, request.clientMessageId()));
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
    return outcome;
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
