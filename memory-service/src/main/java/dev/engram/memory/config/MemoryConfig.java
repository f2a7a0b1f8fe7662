package dev.engram.memory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every tunable of memory-service, under {@code engram.memory}. */
@ConfigMapping(prefix = "engram.memory")
public interface MemoryConfig {

  /** The sentence-embedding model. */
  Embedding embedding();

  /** Ingest from Kafka and the REST API. */
  Ingest ingest();

  /** Hybrid search: candidate depths, fusion and re-ranking. */
  Search search();

  /** Strength, decay, consolidation, archival and the sweep that applies them. */
  Lifecycle lifecycle();

  /** How the salience (attention) score of a new memory is composed. */
  Salience salience();

  /** Clusters of similar memories. */
  Clusters clusters();

  /** The in-memory (L1) and Redis (L2) caches of a user's vectors. */
  Cache cache();

  /** Embedding model settings. */
  interface Embedding {
    /**
     * {@code bge-small-en-v15-q} (bundled, quantized BAAI bge-small-en-v1.5, 384 dimensions, CLS
     * pooling, an instruction before queries), {@code all-minilm-l6-v2-q} (bundled, quantized
     * all-MiniLM-L6-v2, 384 dimensions) or {@code onnx} (a BERT-style ONNX model and tokenizer from
     * {@code model-path} and {@code tokenizer-path}). Memories embedded by another model are
     * re-embedded in the background after a change.
     */
    @WithDefault("bge-small-en-v15-q")
    String model();

    /**
     * Text put before a search query (never before a memory) for an asymmetric model; unset: the
     * bundled model's own ({@code "Represent this sentence for searching relevant passages: "} for
     * bge-small, none for all-MiniLM).
     */
    java.util.Optional<String> queryPrefix();

    /** ONNX model file, for {@code model=onnx}. */
    @WithDefault("none")
    String modelPath();

    /** HuggingFace tokenizer.json, for {@code model=onnx}. */
    @WithDefault("none")
    String tokenizerPath();

    /** Pooling of token embeddings for {@code model=onnx}: MEAN or CLS. */
    @WithDefault("MEAN")
    String pooling();

    /** Texts embedded per model call. */
    @WithDefault("64")
    int batchSize();

    /** Worker threads that run the model (never the event loop). */
    @WithDefault("2")
    int threads();

    /**
     * Threads that embed search queries, apart from the ingest threads: a query never waits behind
     * queued ingest batches.
     */
    @WithDefault("2")
    int queryThreads();

    /**
     * Java priority (1..10) of the threads that embed ingested and re-embedded memories. 1 (the
     * lowest) lets the JVM run them at the lowest OS priority (nice 19) when it is started with
     * {@code -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19} (the image's and the
     * local run's options): search queries, requests and every other process on the cores go first,
     * and ingest keeps full speed when nothing else wants the CPU. 5 (normal) turns that off;
     * without those JVM options the priority has no effect.
     */
    @WithDefault("1")
    int ingestPriority();

    /**
     * ONNX Runtime threads per model run. 1 runs each text on the thread that embeds it, so that
     * concurrent runs (ingest batches, search queries) never queue in one shared pool.
     */
    @WithDefault("1")
    int intraOpThreads();

    /**
     * Memories re-embedded per tick when their vector is of another model than the current one
     * (after a change of model); 0 turns re-embedding off.
     */
    @WithDefault("32")
    int reembedBatch();

    /** How often a batch is re-embedded while some memories have another model's vector. */
    @WithDefault("1s")
    String reembedEvery();
  }

  /** Ingest settings. */
  interface Ingest {
    /** Longest content accepted, in characters. */
    @WithDefault("16000")
    int maxContentLength();

    /** Most memories one {@code POST /api/v1/memories:batch} may carry. */
    @WithDefault("500")
    int maxBatch();

    /**
     * Embed a message together with the previous message of its session (contextual embedding), so
     * that a short answer is found by what it answers.
     */
    @WithDefault("true")
    boolean contextualEmbedding();

    /**
     * Whether the answers of orchestrator-service's offline responder (assistant messages whose
     * metadata has {@code offline: true}) become memories. Off: such an answer only restates what
     * is already remembered, so storing it would duplicate every memory it quotes, and the next
     * recall would find the copies (and answers quoting answers) beside the originals.
     */
    @WithDefault("false")
    boolean offlineAnswers();

    /**
     * A new memory at least this similar (cosine) to an existing one repeats it and reinforces it;
     * for bge-small (all-MiniLM: 0.92).
     */
    @WithDefault("0.965")
    double repetitionSimilarity();

    /** Characters of the previous message used as context. */
    @WithDefault("300")
    int contextChars();

    /**
     * Metadata keys whose value names the author of a message (for example the speaker in an
     * imported transcript); the name is indexed with the content.
     */
    @WithDefault("speaker,author,name")
    java.util.List<String> speakerKeys();
  }

  /** Search settings. */
  interface Search {
    /** Candidates taken from each of the dense and the lexical lists before fusion. */
    @WithDefault("100")
    int candidates();

    /**
     * How the dense and lexical lists are fused: {@code score} (a convex combination of the
     * normalised scores: cosines min-max, BM25 over the best) or {@code rrf} (weighted reciprocal
     * ranks). {@code score} with dense weight 0.5 against {@code rrf} 0.35/20: LoCoMo recall@10
     * 0.766 against 0.684 on conversations 1-2 (docs/benchmarks.md).
     */
    @WithDefault("score")
    dev.engram.memory.service.Fusion.Method fusion();

    /**
     * The reciprocal-rank-fusion constant k in 1/(k + rank) ({@code rrf} fusion only): smaller
     * favours the top of each list. 20 against 60 gained 0.018 of LoCoMo recall@10 with bge-small.
     */
    @WithDefault("20")
    int rrfK();

    /**
     * Weight of the dense list in the fusion (the lexical list weighs 1 - this). 0.5 for {@code
     * score} fusion with bge-small (LoCoMo recall@10 on conversations 1-2: 0.719 at 0.25, 0.729 at
     * 0.35, 0.752 at 0.45, 0.766 at 0.5, 0.758 at 0.55, 0.724 at 0.65); with {@code rrf}, 0.35.
     */
    @WithDefault("0.5")
    double denseWeight();

    /**
     * Share of the better neighbour's relevance a memory gains (its previous or next memory of the
     * same session and type, by time), whose neighbours join the candidates; 0 turns the rule off.
     * It costs a pass over the user's rows per search. Alone it was mixed on LoCoMo (conversations
     * 1-2: recall@5 0.652 to 0.672, recall@10 0.766 to 0.755; all 10: recall@10 0.712 to 0.723);
     * with the speaker rule at 0.2 it gains on both halves (recall@10 0.776 to 0.781 on 1-2, 0.728
     * to 0.737 on 3-4), so 0.1 is the default.
     */
    @WithDefault("0.1")
    double neighbourWeight();

    /**
     * Share of a candidate's relevance given to "the query names its author": a memory whose
     * speaker (the message metadata's {@code engram.memory.ingest.speaker-keys}) is named in the
     * query gets {@code (1 - w)·fused + w}, the others {@code (1 - w)·fused}, when the query names
     * the speaker of at least one candidate (otherwise nothing changes). A name said by everyone
     * ("Thanks, Caroline!") tells BM25 and the embedding little about who said what; "what did
     * Caroline paint?" asks about her own messages. 0 turns the rule off. LoCoMo recall@10 (chosen
     * on conversations 1-2, checked on 3-4): 0.765 to 0.776 on 1-2 and 0.684 to 0.728 on 3-4 at
     * 0.2; 0.3 did as well there, but 0.2 lets a much better match by someone else still win.
     */
    @WithDefault("0.2")
    double speakerWeight();

    /** BM25's term-frequency saturation k1 of the lexical side. */
    @WithDefault("1.2")
    double bm25K1();

    /**
     * BM25's length normalisation b of the lexical side (0: none, 1: full). 0.3 rather than the
     * usual 0.75: a conversation's longer messages are not padding, and full normalisation buries
     * them (LoCoMo recall@10 with score fusion: 0.766 to 0.770 on conversations 1-2, where it was
     * chosen, 0.667 to 0.691 on 3-4).
     */
    @WithDefault("0.3")
    double bm25B();

    /** Weight of recency in the final score. */
    @WithDefault("0.05")
    double recencyWeight();

    /** Weight of strength in the final score. */
    @WithDefault("0.05")
    double strengthWeight();

    /** Half-life of the recency score, measured back from the user's newest memory. */
    @WithDefault("P30D")
    Duration recencyHalfLife();

    /** Whether search reinforces the memories it returns. */
    @WithDefault("true")
    boolean reinforceOnRetrieval();

    /**
     * A recall that takes this long or longer is logged (INFO) with the time of each of its stages
     * (see also the {@code engram.memory.recall.stage} timers).
     */
    @WithDefault("PT0.25S")
    Duration slowRecallLog();

    /**
     * Retrievals of a user's memories within this window are reinforced together, in one
     * transaction, and a memory returned several times in it is reinforced once (massed retrieval
     * is one practice); zero reinforces after every search.
     */
    @WithDefault("PT1S")
    Duration reinforceWindow();

    /**
     * A window's retrievals are written in transactions of at most this many memories, one after
     * another, so that no long transaction (its row locks, its WAL, its outbox rows and their
     * events) competes with searches at once; zero writes the window in one transaction.
     */
    @WithDefault("100")
    int reinforceChunk();
  }

  /** Lifecycle settings. */
  interface Lifecycle {
    /** Decay time constant of a new memory with salience 0, in days. */
    @WithDefault("7")
    double baseStabilityDays();

    /** A salience of 1 multiplies the initial time constant by (1 + this). */
    @WithDefault("3")
    double salienceStabilityBoost();

    /** Growth of the time constant per reinforcement at full forgetting (spacing effect). */
    @WithDefault("1.5")
    double spacingGain();

    /** Fraction of the missing strength a reinforcement restores. */
    @WithDefault("0.3")
    double reinforcementGain();

    /** A memory whose strength falls below this is DECAYED. */
    @WithDefault("0.1")
    double forgetThreshold();

    /** How long a DECAYED memory is kept (and can be revived) before it is deleted. */
    @WithDefault("P7D")
    Duration gracePeriod();

    /** An ACTIVE memory reinforced at least this often is consolidated. */
    @WithDefault("3")
    int consolidateAccesses();

    /** An ACTIVE memory this salient is consolidated. */
    @WithDefault("0.7")
    double consolidateSalience();

    /** Minimum age before consolidation, so that salience alone does not promote at once. */
    @WithDefault("PT1H")
    Duration consolidateMinAge();

    /** A CONSOLIDATED memory not accessed for this long is ARCHIVED. */
    @WithDefault("P90D")
    Duration archiveAfter();

    /** How often the sweep runs ({@code off} disables the schedule). */
    @WithDefault("60s")
    String sweepEvery();

    /** Memories examined per sweep batch. */
    @WithDefault("500")
    int sweepBatch();

    /** Batches per sweep run, bounding one run's work. */
    @WithDefault("20")
    int sweepMaxBatches();

    /**
     * How often the sweep samples every user's strength by type and state for the strength history
     * ({@code GET /api/v1/analytics/strength}); the first sweep of each such interval takes the
     * sample. {@code PT0S} stops sampling.
     */
    @WithDefault("PT1H")
    Duration historyEvery();

    /** How long strength samples are kept; older ones are deleted when a sample is taken. */
    @WithDefault("P90D")
    Duration historyRetention();
  }

  /** Salience weights (normalised by their sum over the parts present). */
  interface Salience {
    /** Weight of novelty: 1 - similarity to the user's nearest memory. */
    @WithDefault("0.4")
    double novelty();

    /**
     * The model's cosine similarity of two unrelated texts, where novelty is full: novelty is
     * {@code (1 - similarity) / (1 - unrelatedSimilarity)}, clamped to 0..1, so that it means the
     * same for models whose cosines sit at different heights. 0.5 suits bge-small (unrelated topics
     * 0.48-0.50); 0 suits all-MiniLM (docs/benchmarks.md, "Similarity thresholds").
     */
    @WithDefault("0.5")
    double unrelatedSimilarity();

    /** Weight of explicit importance markers in the text ("remember", "important", ...). */
    @WithDefault("0.2")
    double markers();

    /** Weight of emotional intensity. */
    @WithDefault("0.2")
    double emotion();

    /** Weight of the client's explicit importance, when given. */
    @WithDefault("0.4")
    double importance();
  }

  /** Cluster settings. */
  interface Clusters {
    /**
     * A memory joins the nearest cluster at least this similar (cosine), else founds one. The
     * similarity thresholds suit bge-small, whose cosines are higher than all-MiniLM's for the same
     * pairs (0.55, 0.8 and 0.5 for all-MiniLM; docs/benchmarks.md, "Similarity thresholds").
     */
    @WithDefault("0.72")
    double joinThreshold();

    /** Clusters whose centroids are at least this similar are merged (all-MiniLM: 0.8). */
    @WithDefault("0.88")
    double mergeThreshold();

    /**
     * A cluster is bisected (2-means) and split when its two halves' centroids are less similar
     * than this: it holds two topics (all-MiniLM: 0.5).
     */
    @WithDefault("0.65")
    double splitThreshold();

    /** Smallest cluster considered for a split. */
    @WithDefault("6")
    int minSplitSize();

    /** Terms in a cluster's label. */
    @WithDefault("3")
    int labelTerms();

    /** How often the merge/split pass runs ({@code off} disables the schedule). */
    @WithDefault("5m")
    String passEvery();
  }

  /** Cache settings. */
  interface Cache {
    /** Vectors L1 holds at most, over all users (a 384-dimension vector takes 1.5 KiB). */
    @WithDefault("200000")
    long l1MaxVectors();

    /** How long an L1 entry is trusted without confirming its version in Redis. */
    @WithDefault("PT30S")
    Duration l1TrustWithoutRedis();

    /**
     * While this replica receives the other replicas' invalidations (Redis pub/sub), an L1 entry is
     * used without asking Redis for the user's version; once it has not been confirmed for this
     * long, the version is checked in the background after a search (a lost message costs at most
     * one stale search after this).
     */
    @WithDefault("PT1S")
    Duration l1Recheck();

    /**
     * The invalidation subscription counts as down (every search confirms the version in Redis
     * again) when this replica's own heartbeat, sent each second, has not come back for this long.
     */
    @WithDefault("PT3S")
    Duration l1SubscriptionTimeout();

    /**
     * Rows (the memories themselves) of search hits kept with a user's L1 entry, so a warm search
     * needs no database round trip; dropped on every change to the user's memories.
     */
    @WithDefault("2000")
    int l1RowsPerUser();

    /** Lifetime of a user's vectors in Redis. */
    @WithDefault("P1D")
    Duration l2Ttl();

    /** Users with more memories than this are not copied to Redis (L1 + PostgreSQL only). */
    @WithDefault("50000")
    int l2MaxMemories();

    /** Time to wait for Redis before carrying on without it. */
    @WithDefault("PT0.25S")
    Duration redisTimeout();

    /** Users above this many memories are scanned with both cores in parallel. */
    @WithDefault("20000")
    int parallelScanThreshold();
  }
}
