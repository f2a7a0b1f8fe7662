package dev.engram.orchestrator.service.turn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.client.FactView;
import dev.engram.orchestrator.client.MemoryHit;
import dev.engram.orchestrator.client.MemoryView;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.ProcedureView;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.binding.BindingState;
import dev.engram.orchestrator.service.binding.UserProfile;
import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.TimeRangeParser;
import dev.engram.orchestrator.service.llm.OfflineResponder;
import dev.engram.orchestrator.service.llm.Prompt;
import dev.engram.orchestrator.service.llm.PromptRenderer;
import dev.engram.orchestrator.service.realtime.Frames;
import dev.engram.orchestrator.service.stm.AttentionScorer;
import dev.engram.orchestrator.service.stm.StmPolicy;
import dev.engram.orchestrator.service.stm.StmUpdate;
import dev.engram.orchestrator.service.stm.WorkingMemory;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Compiles a turn's own code before the first user's turn. The instance runs C1 only (for its
 * start-up and memory), and C1 compiles a method only after a few hundred calls: the code a turn
 * runs once (assembly, the offline answer, the frames' JSON) would stay interpreted through a
 * user's first hundreds of turns, several milliseconds of each. So, once started, an unbound
 * instance runs those stages on made-up data ({@code engram.orchestrator.warm-up.rounds} rounds, on
 * a thread of its own, stopping as soon as a user is bound): a working set of its own, the context
 * builder and assembler, the prompt and the offline answer, the frames' and the recall reply's
 * JSON. Nothing of it reaches a user, the user's state, a socket or a service.
 */
@ApplicationScoped
public class TurnWarmUp {

  private static final String[] MESSAGES = {
    "I love hiking in the Alps with my sister Clara",
    "What did I say last week about the garden?",
    "Remember that my passport expires in March!",
    "How do I bake sourdough bread again?",
  };

  private static final OfflineResponder RESPONDER = new OfflineResponder();

  private final OrchestratorConfig.WarmUp config;
  private final BindingState binding;
  private final StmPolicy policy;
  private final AttentionScorer scorer;
  private final ContextBuilder builder;
  private final TimeRangeParser times;
  private final ObjectMapper mapper;
  private ScheduledExecutorService thread;
  private volatile int rounds;

  public TurnWarmUp(
      OrchestratorConfig config,
      BindingState binding,
      StmPolicy policy,
      AttentionScorer scorer,
      ContextBuilder builder,
      TimeRangeParser times,
      ObjectMapper mapper) {
    this.config = config.warmUp();
    this.binding = binding;
    this.policy = policy;
    this.scorer = scorer;
    this.builder = builder;
    this.times = times;
    this.mapper = mapper;
  }

  void onStart(@Observes StartupEvent started) {
    if (config.rounds() <= 0) {
      return;
    }
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("engram-warm-up").unstarted(r));
    thread.schedule(this::run, config.delay().toMillis(), TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent stopped) {
    if (thread != null) {
      thread.shutdownNow();
    }
  }

  /** How many rounds have run so far. */
  public int rounds() {
    return rounds;
  }

  private void run() {
    long started = System.nanoTime();
    try {
      WorkingMemory stm = new WorkingMemory(policy, scorer);
      while (rounds < config.rounds()
          && binding.current().isEmpty()
          && !Thread.currentThread().isInterrupted()) {
        round(stm, rounds);
        rounds++;
      }
      Log.debugf(
          "turn warm-up: %d rounds in %d ms",
          rounds, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (RuntimeException e) {
      // a warm-up that fails costs its speed-up, never the instance
      Log.warnf(e, "turn warm-up stopped after %d rounds", rounds);
    } finally {
      thread.shutdown();
    }
  }

  /** One made-up turn through the in-memory stages; returns its answer. */
  String round(WorkingMemory stm, int round) {
    Instant now = Instant.now();
    String text = MESSAGES[round % MESSAGES.length];
    times.parseQuestion(text);
    UUID sessionId = UUID.randomUUID();
    SessionView session =
        new SessionView(sessionId, "", "Warm-up", "ACTIVE", List.of(), Map.of(), null, now, now);
    MessageView message =
        new MessageView(UUID.randomUUID(), sessionId, -1, "user", text, Map.of(), now);
    List<MemoryHit> hits = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      MemoryView memory =
          new MemoryView(
              UUID.randomUUID(),
              "EPISODIC",
              (i % 4 < 2 ? text : MESSAGES[(round + i) % MESSAGES.length]) + " #" + i,
              "ACTIVE",
              0.8,
              0.5,
              sessionId,
              UUID.randomUUID(),
              i % 2 == 0 ? "user" : "assistant",
              null,
              now.minus(Duration.ofDays(i)),
              now.minus(Duration.ofDays(i)));
      hits.add(new MemoryHit(memory, 0.9 - i * 0.05, Map.of("dense", 0.8, "lexical", 0.4)));
    }
    List<FactView> facts =
        List.of(new FactView(UUID.randomUUID(), "PREFERENCE", "user", "likes", "hiking", 0.9));
    List<ProcedureView> procedures =
        List.of(
            new ProcedureView(
                UUID.randomUUID(),
                "bake sourdough bread",
                mapper.valueToTree(List.of("feed the starter", "mix", "proof", "bake")),
                3,
                1,
                0.7));
    Gathered gathered =
        new Gathered(session, List.of(message), hits, facts, procedures, null, null, List.of());
    StmUpdate update = stm.attend(builder.attentionCandidates(message, hits), now);
    AssembledContext context =
        builder.assemble(
            text,
            message.id(),
            gathered.withoutEcho(message),
            stm.items(),
            ContextBuilder.withFacts(UserProfile.EMPTY.observe(text), facts));
    Prompt prompt = PromptRenderer.render(context);
    List<String> words = RESPONDER.stream(prompt).collect().asList().await().indefinitely();
    try {
      for (int i = 0; i < words.size(); i++) {
        mapper.writeValueAsString(
            new Frames.Token(message.id(), "warm-up", sessionId, i, words.get(i)));
      }
      mapper.writeValueAsString(Frames.StmUpdate.of(update));
      mapper.readTree(mapper.writeValueAsString(Map.of("hits", hits)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return String.join("", words);
  }
}
