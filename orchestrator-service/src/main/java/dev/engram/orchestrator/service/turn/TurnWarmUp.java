package dev.engram.orchestrator.service.turn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.events.CloudEvent;
import dev.engram.events.EventCodec;
import dev.engram.events.EventData;
import dev.engram.events.FactCategory;
import dev.engram.events.FactExtracted;
import dev.engram.events.MemoryCreated;
import dev.engram.events.MemoryReinforced;
import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.events.MessageAppended;
import dev.engram.events.MessageRole;
import dev.engram.events.ReinforcementReason;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.events.TurnCompleted;
import dev.engram.events.TurnOutcome;
import dev.engram.orchestrator.client.FactView;
import dev.engram.orchestrator.client.LoopbackServices;
import dev.engram.orchestrator.client.MemoryHit;
import dev.engram.orchestrator.client.MemoryView;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.ProcedureView;
import dev.engram.orchestrator.client.RecallRequest;
import dev.engram.orchestrator.client.ServiceHttp;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.messaging.MemoryEventsConsumer;
import dev.engram.orchestrator.service.binding.BindingState;
import dev.engram.orchestrator.service.binding.StmSnapshot;
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
import io.smallrye.mutiny.Uni;
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
 * start-up and memory), and C1 compiles a method only after some calls (40 with the instance's
 * {@code jvm.options}, a few hundred by default): the code a turn runs once would stay interpreted
 * through a user's first tens of turns, several milliseconds of each. So, once started, an unbound
 * instance runs made-up turns ({@code engram.orchestrator.warm-up.rounds} rounds, on a thread of
 * its own, stopping as soon as a user is bound): the service calls through the instance's own HTTP
 * client against a loopback stand-in for the services ({@link LoopbackServices}: the recall, the
 * facts, the session's last messages, the answer's store, and the parsing of their replies), a
 * working set of its own, the context builder and assembler, the prompt and the offline answer, the
 * frames' JSON, the decoding of the events a bound instance reads from Kafka into {@code
 * memory_update} frames, and the encoding of {@code turn.completed} and of the working set's
 * snapshot. Nothing of it reaches a user, the user's state, a socket, Kafka, Redis or a service.
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

  /** The user and bearer of the made-up turns (nothing checks them: the services are stand-ins). */
  private static final String WARM_UP_USER = "warm-up";

  private static final String BEARER = "warm-up";

  /** The longest a loopback call may take before the warm-up gives up. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final OrchestratorConfig.WarmUp config;
  private final BindingState binding;
  private final StmPolicy policy;
  private final AttentionScorer scorer;
  private final ContextBuilder builder;
  private final TimeRangeParser times;
  private final ObjectMapper mapper;
  private final ServiceHttp http;
  private final EventCodec codec = new EventCodec();
  private final List<byte[]> events;
  private ScheduledExecutorService thread;
  private volatile int rounds;
  private volatile boolean warmedUp;

  public TurnWarmUp(
      OrchestratorConfig config,
      BindingState binding,
      StmPolicy policy,
      AttentionScorer scorer,
      ContextBuilder builder,
      TimeRangeParser times,
      ObjectMapper mapper,
      ServiceHttp http) {
    this.config = config.warmUp();
    this.binding = binding;
    this.policy = policy;
    this.scorer = scorer;
    this.builder = builder;
    this.times = times;
    this.mapper = mapper;
    this.http = http;
    this.events = events(codec);
  }

  void onStart(@Observes StartupEvent started) {
    if (config.rounds() <= 0) {
      warmedUp = true;
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

  /**
   * Whether the start-up warm-up is over, all its rounds run (or none configured); false while it
   * runs, and for good when a bind stopped it early or it failed.
   */
  public boolean warmedUp() {
    return warmedUp;
  }

  /** How many rounds have run so far. */
  public int rounds() {
    return rounds;
  }

  /** The start-up warm-up (on its own thread); also called by tests. */
  void run() {
    long started = System.nanoTime();
    try {
      Warmed warmed = warm(config.rounds());
      warmedUp = warmed.rounds() >= config.rounds();
      Log.debugf(
          "turn warm-up: %d rounds, %d loopback calls in %d ms",
          warmed.rounds(),
          warmed.calls(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (RuntimeException e) {
      // a warm-up that fails costs its speed-up, never the instance
      warmedUp = false;
      Log.warnf(e, "turn warm-up stopped after %d rounds", rounds);
    } finally {
      if (thread != null) {
        thread.shutdown();
      }
    }
  }

  /** What {@link #warm} did: rounds run and loopback service calls made. */
  record Warmed(int rounds, int calls) {}

  /**
   * Runs up to {@code max} rounds, as long as no user is bound, with the loopback services if they
   * start.
   */
  Warmed warm(int max) {
    try (LoopbackServices services = loopback()) {
      WorkingMemory stm = new WorkingMemory(policy, scorer);
      int round = 0;
      while (round < max
          && binding.current().isEmpty()
          && !Thread.currentThread().isInterrupted()) {
        round(stm, round, services);
        round++;
        rounds++;
      }
      return new Warmed(round, services == null ? 0 : services.served());
    }
  }

  /** The loopback stand-in for the services, or null (the rounds go on without it) if it fails. */
  LoopbackServices loopback() {
    Instant now = Instant.now();
    Canned canned = canned(session(now), now);
    try {
      return LoopbackServices.start(
          http,
          mapper,
          new LoopbackServices.Replies(
              Map.of("hits", canned.hits(), "procedures", canned.procedures()),
              Map.of("facts", canned.facts()),
              canned.session(),
              canned.message(),
              Map.of("messages", List.of(canned.message()))));
    } catch (RuntimeException e) {
      Log.debugf("turn warm-up without loopback calls: %s", e.getMessage());
      return null;
    }
  }

  /**
   * One made-up turn through the turn's stages; returns its answer. With {@code services}, the
   * context's sources come through the instance's HTTP client and the clients' reply parsing (the
   * recall, the facts, the session's last messages, the answer's store), else they are made up
   * here.
   */
  String round(WorkingMemory stm, int round, LoopbackServices services) {
    Instant now = Instant.now();
    String text = MESSAGES[round % MESSAGES.length];
    times.parseQuestion(text);
    SessionView session = session(now);
    MessageView message =
        new MessageView(UUID.randomUUID(), session.id(), -1, "user", text, Map.of(), now);
    List<MemoryHit> hits;
    List<FactView> facts;
    List<ProcedureView> procedures;
    if (services == null) {
      Canned made = canned(session, now);
      hits = made.hits(text);
      facts = made.facts();
      procedures = made.procedures();
    } else {
      var recall = services.memory().recall(new RecallRequest(text, 8, null, null, 3), BEARER);
      var held = services.memory().facts(BEARER);
      var last = services.sessions().context(session.id(), 10, BEARER);
      var gathered =
          Uni.combine().all().unis(recall, held, last).asTuple().await().atMost(CALL_TIMEOUT);
      hits = gathered.getItem1().hits();
      procedures = gathered.getItem1().procedures();
      facts = gathered.getItem2();
    }
    Gathered gathered =
        new Gathered(session, List.of(message), hits, facts, procedures, null, null, List.of());
    StmUpdate update = stm.attend(builder.attentionCandidates(message, hits), now);
    UserProfile profile = UserProfile.EMPTY.observe(text);
    AssembledContext context =
        builder.assemble(
            text,
            message.id(),
            gathered.withoutEcho(message),
            stm.items(),
            ContextBuilder.withFacts(profile, facts));
    Prompt prompt = PromptRenderer.render(context);
    List<String> words = RESPONDER.stream(prompt).collect().asList().await().indefinitely();
    String answer = String.join("", words);
    try {
      for (int i = 0; i < words.size(); i++) {
        mapper.writeValueAsString(
            new Frames.Token(message.id(), "warm-up", session.id(), i, words.get(i)));
      }
      mapper.writeValueAsString(Frames.StmUpdate.of(update));
      // what the instance reads from Kafka while a user is bound: every event decoded, those on
      // engram.memories written as memory_update frames (as UserEventsListener dispatches them)
      for (byte[] record : events) {
        CloudEvent<EventData> event = codec.decode(record);
        if (Topics.MEMORIES.equals(event.topic())) {
          mapper.writeValueAsString(
              new MemoryEventsConsumer.MemoryUpdate(
                  event.type(), event.id(), event.time(), event.data()));
        }
      }
      // what it writes after each turn: turn.completed, the snapshot of the working set
      codec.encode(
          CloudEvent.of(
              Sources.ORCHESTRATOR,
              WARM_UP_USER,
              new TurnCompleted(
                  session.id(),
                  message.id(),
                  UUID.randomUUID(),
                  context.tokens(),
                  context.items().size(),
                  context.countsBySource(),
                  words.size(),
                  1,
                  2,
                  "offline",
                  TurnOutcome.COMPLETED)));
      mapper.writeValueAsString(
          new StmSnapshot(
              StmSnapshot.VERSION,
              WARM_UP_USER,
              stm.turn(),
              stm.items(),
              session.id(),
              List.of(message),
              profile,
              now));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (services != null) {
      services
          .sessions()
          .append(session.id(), "assistant", answer, Map.of(), BEARER)
          .await()
          .atMost(CALL_TIMEOUT);
    }
    return answer;
  }

  /** A made-up session. */
  private static SessionView session(Instant now) {
    return new SessionView(
        UUID.randomUUID(), "", "Warm-up", "ACTIVE", List.of(), Map.of(), null, now, now);
  }

  /** Made-up data of a turn in {@code session}: its message, memories, facts, procedures. */
  private Canned canned(SessionView session, Instant now) {
    MessageView message =
        new MessageView(UUID.randomUUID(), session.id(), 1, "user", MESSAGES[0], Map.of(), now);
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
    return new Canned(session, message, facts, procedures, now);
  }

  /** A turn's made-up data; the memories are made for the message they answer. */
  private record Canned(
      SessionView session,
      MessageView message,
      List<FactView> facts,
      List<ProcedureView> procedures,
      Instant now) {

    List<MemoryHit> hits() {
      return hits(message.content());
    }

    /**
     * Eight memories, alternately the user's words and answers, half of them about {@code text}.
     */
    List<MemoryHit> hits(String text) {
      List<MemoryHit> hits = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        MemoryView memory =
            new MemoryView(
                UUID.randomUUID(),
                "EPISODIC",
                (i % 4 < 2 ? text : MESSAGES[(i + 1) % MESSAGES.length]) + " #" + i,
                "ACTIVE",
                0.8,
                0.5,
                session.id(),
                UUID.randomUUID(),
                i % 2 == 0 ? "user" : "assistant",
                null,
                now.minus(Duration.ofDays(i)),
                now.minus(Duration.ofDays(i)));
        hits.add(new MemoryHit(memory, 0.9 - i * 0.05, Map.of("dense", 0.8, "lexical", 0.4)));
      }
      return hits;
    }
  }

  /**
   * The events a bound instance reads per turn, as Kafka holds them: memories created and
   * reinforced and a fact extracted (from memory-service), a message appended (from
   * session-service).
   */
  private static List<byte[]> events(EventCodec codec) {
    Instant now = Instant.now();
    UUID session = UUID.randomUUID();
    UUID memory = UUID.randomUUID();
    UUID message = UUID.randomUUID();
    List<EventData> data =
        List.of(
            new MemoryCreated(
                memory,
                MemoryType.EPISODIC,
                MESSAGES[0],
                session,
                message,
                0.6,
                0.5,
                MemoryState.ACTIVE,
                null,
                now,
                now),
            new MemoryReinforced(memory, ReinforcementReason.RETRIEVAL, 0.7, 3, now),
            new MemoryReinforced(memory, ReinforcementReason.REHEARSAL, 0.75, 4, now),
            new FactExtracted(
                UUID.randomUUID(),
                memory,
                FactCategory.PREFERENCE,
                "user",
                "likes",
                "hiking",
                0.8,
                message,
                null,
                now),
            new MessageAppended(session, message, 1, MessageRole.USER, MESSAGES[0], Map.of(), now));
    return data.stream()
        .map(
            d ->
                codec.encode(
                    CloudEvent.of(
                        d instanceof MessageAppended
                            ? Sources.SESSION_SERVICE
                            : Sources.MEMORY_SERVICE,
                        WARM_UP_USER,
                        d)))
        .toList();
  }
}
