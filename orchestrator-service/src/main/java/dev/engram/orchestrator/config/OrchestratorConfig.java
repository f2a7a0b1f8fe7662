package dev.engram.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything the orchestrator can be tuned with; production values come from the environment. */
@ConfigMapping(prefix = "engram.orchestrator")
public interface OrchestratorConfig {

  /**
   * The name this instance reports to the broker (pod name in Kubernetes, {@code
   * ENGRAM_INSTANCE_NAME} in the local run).
   */
  @WithDefault("orchestrator-local")
  String instanceName();

  /** The services this instance calls. */
  Services services();

  /** Short-term memory (the attention-scored working set). */
  Stm stm();

  /** Context assembly for each turn. */
  Context context();

  /** The LLM provider. */
  Provider provider();

  /** The WebSocket chat protocol. */
  Chat chat();

  /** Built-in hooks. */
  Hooks hooks();

  /** Reading the bound user's events. */
  Events events();

  /** Compiling a turn's own code before the first user's turn. */
  WarmUp warmUp();

  /**
   * The instance runs C1 only, which compiles a method after some hundreds of calls: a turn's
   * once-per-turn code would stay interpreted for a user's first hundreds of turns. While unbound,
   * the instance runs the turn's in-memory stages on made-up data instead.
   */
  interface WarmUp {
    /** Rounds of attention, assembly, the offline answer and the frames' JSON (0: none). */
    @WithDefault("300")
    int rounds();

    /** How long after start-up the rounds begin (the instance is ready first). */
    @WithDefault("PT1S")
    Duration delay();
  }

  /** Where session-service and memory-service are, and how long to wait for them. */
  interface Services {
    /** Base URL of session-service. */
    @WithDefault("http://127.0.0.1:8081")
    String sessionUrl();

    /** Base URL of memory-service. */
    @WithDefault("http://127.0.0.1:8082")
    String memoryUrl();

    /** Longest wait for one call to either service. */
    @WithDefault("PT5S")
    Duration timeout();
  }

  /** Short-term memory tuning. */
  interface Stm {
    /** How many items the working set holds before the least active is evicted. */
    @WithDefault("12")
    int capacity();

    /** Fraction of activation every item loses per turn (0..1). */
    @WithDefault("0.15")
    double decayPerTurn();

    /** Activation added to an item when it is rehearsed (mentioned or recalled again). */
    @WithDefault("0.35")
    double rehearsalBoost();

    /** Items whose activation falls below this are forgotten even if there is room. */
    @WithDefault("0.05")
    double activationFloor();

    /** Term overlap (0..1) from which a new message counts as rehearsing an item. */
    @WithDefault("0.34")
    double rehearsalOverlap();

    /** Half-life of the recency part of the attention score. */
    @WithDefault("P1D")
    Duration recencyHalfLife();

    /** How long a user's snapshot is kept in Redis after release. */
    @WithDefault("P90D")
    Duration snapshotTtl();

    /** Attention weights; they are normalised, so only their ratios matter. */
    Weights weights();

    /** Weights of the four attention components. */
    interface Weights {
      /** Relevance to the current topic. */
      @WithDefault("0.35")
      double relevance();

      /** Novelty against what is already held. */
      @WithDefault("0.2")
      double novelty();

      /** Salience cues (importance markers, preferences, questions, numbers). */
      @WithDefault("0.25")
      double salience();

      /** Recency of what the item refers to. */
      @WithDefault("0.2")
      double recency();
    }
  }

  /** Context assembly tuning. */
  interface Context {
    /** Token budget of the assembled context (the prompt without the model's answer). */
    @WithDefault("3000")
    int tokenBudget();

    /** Messages of the session taken as immediate context. */
    @WithDefault("12")
    int immediateMessages();

    /** Long-term memories asked from memory-service per turn. */
    @WithDefault("8")
    int longTermK();

    /**
     * Procedures asked from memory-service per turn (0..20; 0 asks for none), in the same recall
     * call as the long-term memories.
     */
    @WithDefault("3")
    int proceduresK();

    /** A single item longer than this many tokens is clipped before assembly. */
    @WithDefault("400")
    int maxItemTokens();

    /** Longest user message accepted, in characters. */
    @WithDefault("16000")
    int maxMessageChars();

    /**
     * The time zone of "yesterday" and "last week" for a user whose client has never named one
     * ({@code timeZone}); once it has, the last one it sent is remembered with the user's profile.
     */
    @WithDefault("UTC")
    java.time.ZoneId timeZone();

    /**
     * How long the instance answers a session's last messages and the user's facts from what it
     * holds (filled by a read, kept up to date with the messages it stores, dropped when the user's
     * events show a change it did not make) before reading them again; {@code PT0S} reads them on
     * every turn. It bounds how stale they can be should the user's events stop coming.
     */
    @WithDefault("PT1M")
    Duration heldFor();

    /**
     * The store of the user's message starts once the turn's context is built, so that the work it
     * sets off in the services (session-service's insert and outbox, memory-service's ingest) does
     * not share the cores with the recall the first token waits for; a turn whose context takes
     * longer starts it after this wait. {@code PT0S}: at once, as the turn begins.
     */
    @WithDefault("PT0.2S")
    Duration storeWait();
  }

  /** The LLM provider. Without a base URL the offline responder answers. */
  interface Provider {
    /** Base URL of an OpenAI-compatible API, for example {@code http://127.0.0.1:11434/v1}. */
    Optional<String> baseUrl();

    /** The model name sent with every request. */
    @WithDefault("gpt-4o-mini")
    String model();

    /** The API key, sent as a bearer token when set (from a Secret in production). */
    Optional<String> apiKey();

    /**
     * Time allowed to connect and receive the response headers, per attempt: the wait for an answer
     * to begin is at most {@code max-retries + 1} of these plus the backoffs.
     */
    @WithDefault("PT10S")
    Duration connectTimeout();

    /**
     * Longest silence allowed between two streamed chunks, counted from the response headers on
     * (the wait for them, retries included, is bounded by the connect timeout).
     */
    @WithDefault("PT30S")
    Duration idleTimeout();

    /** Retries of a failed request before the first token (never after it). */
    @WithDefault("2")
    int maxRetries();

    /** First retry delay; doubles with every retry. */
    @WithDefault("PT0.2S")
    Duration retryDelay();

    /** Consecutive-request window over which the circuit breaker judges the failure ratio. */
    @WithDefault("4")
    int circuitBreakerVolume();

    /** How long an open circuit stays open before a trial request. */
    @WithDefault("PT10S")
    Duration circuitBreakerDelay();

    /** Sampling temperature. */
    @WithDefault("0.7")
    double temperature();
  }

  /** WebSocket chat protocol. */
  interface Chat {
    /** Frames kept for clients that reconnect with their last event id. */
    @WithDefault("4096")
    int replayFrames();

    /** Largest inbound frame accepted, in characters; larger frames get an error frame. */
    @WithDefault("65536")
    int maxFrameChars();

    /**
     * How many of the bound user's last client message ids ({@code clientMessageId}, {@code
     * Idempotency-Key}) are remembered with their turns, so that a message sent again starts no
     * second turn (each keeps the turn's result, answer included, until the binding ends).
     */
    @WithDefault("1000")
    int rememberedTurns();
  }

  /** Reading the bound user's events from Kafka. */
  interface Events {
    /**
     * How long Kafka may hold a fetch of the user's partitions to gather more records: fewer,
     * larger fetches (less CPU for this instance and the broker), and memory updates reach the tabs
     * up to this much later. The default is Kafka's own wait of an idle fetch, so a reader never
     * fetches more often than before, busy or idle. Zero answers every fetch as soon as a record is
     * there.
     */
    @WithDefault("PT0.5S")
    Duration batchWindow();

    /**
     * How long after a bind the user's event reader starts: a bind answers without paying for the
     * Kafka consumer's creation on the same cores. Nothing is missed: the reader positions itself
     * at the events stamped from the bind instant on, whenever it starts.
     */
    @WithDefault("PT0.2S")
    Duration readerStartDelay();
  }

  /** Built-in hooks. */
  interface Hooks {
    /** The reflective-dialogue hook. */
    ReflectiveDialogue reflectiveDialogue();

    /** Reflective dialogue: mirrors feelings and uncertainty back and invites the user on. */
    interface ReflectiveDialogue {
      /** Whether the hook runs. */
      @WithDefault("true")
      boolean enabled();
    }
  }
}
