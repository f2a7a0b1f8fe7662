package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.api.ProblemException;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.SessionClient;
import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.hooks.GeneratedResponse;
import dev.engram.orchestrator.service.hooks.HookChain;
import dev.engram.orchestrator.service.llm.LlmProvider;
import dev.engram.orchestrator.service.llm.PromptRenderer;
import dev.engram.orchestrator.service.realtime.ChatHub;
import dev.engram.orchestrator.service.realtime.Frames;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Third stage of a turn: the provider streams the answer, its deltas go to every tab as {@code
 * token} frames (the first at once, a burst of deltas as one frame: {@link TokenFrames}), the
 * {@code onResponseGenerated} hooks see the whole answer, and it is stored in session-service as
 * the assistant's message once the user's message (stored meanwhile) is. With a client message id
 * the answer is stored under the key {@code <clientMessageId>:answer}; if that key already holds an
 * answer (the message was answered by an earlier turn, before a release say), that answer stays the
 * turn's and the one just generated is not stored.
 */
@ApplicationScoped
public class AnswerStage {

  private final LlmProvider provider;
  private final ChatHub hub;
  private final HookChain hooks;
  private final SessionResolver sessions;
  private final UserState user;
  private final StageTimers timers;

  public AnswerStage(
      LlmProvider provider,
      ChatHub hub,
      HookChain hooks,
      SessionResolver sessions,
      UserState user,
      StageTimers timers) {
    this.timers = timers;
    this.provider = provider;
    this.hub = hub;
    this.hooks = hooks;
    this.sessions = sessions;
    this.user = user;
  }

  public LlmProvider provider() {
    return provider;
  }

  private record Stored(MessageView question, MessageView answer, String content) {}

  /** What is appended to a client's message id to make the key of its answer. */
  static final String ANSWER_KEY_SUFFIX = ":answer";

  /** How many messages after the question are searched for an answer stored earlier. */
  private static final int ANSWER_SEARCH = 200;

  private Uni<Stored> store(
      Intake intake,
      Built built,
      String text,
      MessageView question,
      String clientMessageId,
      Caller caller) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("provider", provider.name());
    metadata.put("offline", provider.offline());
    metadata.put("turnId", intake.turn().turnId().toString());
    metadata.put("contextTokens", built.context().tokens());
    GeneratedResponse response =
        hooks.responseGenerated(
            intake.turn().persisted(intake.session().id(), question.id()),
            built.context(),
            new GeneratedResponse(text, metadata));
    String key = clientMessageId == null ? null : clientMessageId + ANSWER_KEY_SUFFIX;
    return sessions
        .append(intake.session(), "assistant", response.content(), response.metadata(), key, caller)
        .map(stored -> new Stored(question, stored, stored.content()))
        .onFailure(AnswerStage::answeredBefore)
        .recoverWithUni(failure -> storedBefore(intake, question, key, failure, caller));
  }

  /** The answer's key holds another answer: the message was answered before (a repeat). */
  private static boolean answeredBefore(Throwable failure) {
    return failure instanceof ProblemException p
        && SessionClient.KEY_REUSED.equals(p.problem().type());
  }

  /**
   * The answer stored for the question by an earlier turn of the same client message (one that ran
   * before a release, say): it stays the answer, and this turn's is not stored.
   */
  private Uni<Stored> storedBefore(
      Intake intake, MessageView question, String key, Throwable failure, Caller caller) {
    return sessions
        .storedWithKey(intake.session(), question.sequence(), ANSWER_SEARCH, key, caller)
        .onItem()
        .ifNull()
        .failWith(failure)
        .map(earlier -> new Stored(question, earlier, earlier.content()));
  }

  @WithSpan("AnswerStage.answer")
  public Uni<Answer> answer(Intake intake, Built built, String clientMessageId, Caller caller) {
    long started = System.nanoTime();
    StringBuilder text = new StringBuilder();
    AtomicLong firstToken = new AtomicLong(-1);
    TokenFrames tokens =
        new TokenFrames(
            token -> hub.publish(caller.binding(), Frames.TOKEN, token),
            intake.turn().turnId(),
            clientMessageId,
            intake.session().id());
    return provider.stream(PromptRenderer.render(built.context()))
        .onItem()
        .invoke(
            delta -> {
              text.append(delta);
              tokens.add(delta);
              if (firstToken.compareAndSet(-1, System.nanoTime())) {
                timers.record("answer", started);
              }
            })
        .onTermination()
        .invoke(tokens::flush)
        .onItem()
        .ignoreAsUni()
        .flatMap(
            done -> {
              if (text.toString().isBlank()) {
                return Uni.createFrom()
                    .failure(
                        ProblemException.provider("the provider returned an empty answer", null));
              }
              // The answer is stored after the question, whose store began with the turn.
              return intake
                  .stored()
                  .flatMap(
                      question ->
                          store(intake, built, text.toString(), question, clientMessageId, caller))
                  .map(
                      stored ->
                          new Answer(
                              stored.question(),
                              stored.answer(),
                              stored.content(),
                              tokens.deltas(),
                              firstToken.get()));
            })
        .invoke(
            answer -> {
              if (user.ownedBy(caller.binding())) {
                user.remember(answer.message());
              }
            });
  }
}
