package dev.engram.memory.bench;

import dev.engram.events.MemoryState;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.index.CacheStats;
import dev.engram.memory.index.ScoredId;
import dev.engram.memory.index.VectorCodec;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.index.VectorMath;
import dev.engram.memory.model.MemoryFilter;
import dev.engram.memory.repository.MemoryRepository;
import dev.engram.memory.service.Fusion;
import dev.engram.memory.service.SearchQuery;
import dev.engram.memory.service.SearchService;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Search latency for one user at 1k, 10k and 100k memories, k = 10, single client, after a warm-up
 * of at least {@code latency.warmup-seconds} (10) and 200 searches with other questions: the
 * retrieval itself (query already embedded: the query's lexemes, dense SIMD scan and BM25 over the
 * user's in-memory index, fusion, rows, re-ranking), the whole search including the query's
 * embedding, and the parts alone. Memories are LoCoMo turns (cycled, numbered) with their real
 * embeddings plus a little noise, bulk-loaded into PostgreSQL (embeddings computed once for the
 * 2,000 distinct turns, not per memory).
 *
 * <p>During the {@code latency.queries} (1,000) timed retrievals of each size, the CPU time of the
 * JVM's threads is taken by group (the JIT compilers, the collector, event loops, workers, Kafka
 * and Redis clients, the reinforcement), and how long they waited for a core: who competes with the
 * searches on the machine's cores. Each timed search is also a JFR event ({@code
 * engram.bench.Search}), so a recording ({@code -XX:StartFlightRecording} in the surefire argLine)
 * shows what happened during the slow ones. The loads of the user's vectors from Redis and from
 * PostgreSQL during the timed retrievals are counted too (a warm search needs neither).
 *
 * <p>Run: {@code ./engram bench memory-search-latency [sizes] [path/to/locomo10.json]}.
 */
@QuarkusTest
class SearchLatencyBenchmark {

  static final int QUERIES = Integer.getInteger("latency.queries", 1000);

  /** Other questions searched after the cold load, before timing: the JIT's warm-up. */
  static final int WARMUP = 200;

  /** The warm-up lasts at least this long (the questions cycled), so C2 has compiled the path. */
  static final int WARMUP_SECONDS = Integer.getInteger("latency.warmup-seconds", 10);

  /** One timed search, for a JFR recording of the bench. */
  @jdk.jfr.Name("engram.bench.Search")
  @jdk.jfr.Label("Timed search")
  @jdk.jfr.StackTrace(false)
  static final class SearchEvent extends jdk.jfr.Event {
    @jdk.jfr.Label("Memories")
    int memories;

    @jdk.jfr.Label("Phase")
    String phase;
  }

  @Inject SearchService search;
  @Inject Embedder embedder;
  @Inject VectorIndex index;
  @Inject MemoryRepository repository;
  @Inject MemoryConfig config;
  @Inject CacheStats stats;

  @Test
  void run() throws Exception {
    List<String> turns = new ArrayList<>();
    List<String> questions = new ArrayList<>();
    for (Locomo.Sample s : Locomo.load(Locomo.defaultPath())) {
      s.turns().forEach(t -> turns.add(t.speaker() + ": " + t.text()));
      s.questions().forEach(q -> questions.add(q.text()));
    }
    List<String> base = turns.subList(0, Math.min(2000, turns.size()));
    float[][] baseVectors = embedder.embedBlocking(base);
    if (questions.size() < QUERIES + WARMUP) {
      throw new IllegalStateException(
          "latency.queries "
              + QUERIES
              + " + "
              + WARMUP
              + " warm-up questions > "
              + questions.size());
    }
    List<String> queryTexts = questions.subList(0, QUERIES);
    List<String> warmupTexts = questions.subList(QUERIES, QUERIES + WARMUP);
    float[][] warmupVectors = embedder.embedQueriesBlocking(warmupTexts);
    float[][] queryVectors = embedder.embedQueriesBlocking(queryTexts);

    StringBuilder out = new StringBuilder();
    out.append("Search latency, one user, k = 10, ")
        .append(QUERIES)
        .append(" sequential queries after at least ")
        .append(WARMUP_SECONDS)
        .append(" s and ")
        .append(WARMUP)
        .append(" warm-up searches with other questions; milliseconds\n");
    StringBuilder cpu = new StringBuilder();
    out.append(
        "| memories | cold load (first search) | retrieval p50 | retrieval p99 | with query"
            + " embedding p50 | with query embedding p99 | dense p50 / p99 | lexical p50 / p99 |"
            + " rows p50 / p99 | rows from PostgreSQL p50 / p99 |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (String size : System.getProperty("latency.sizes", "1000,10000,100000").split(",")) {
      int n = Integer.parseInt(size.trim());
      String user = "latency-" + n + "-" + UUID.randomUUID().toString().substring(0, 8);
      load(user, n, base, baseVectors, embedder.modelId());
      long coldStart = System.nanoTime();
      run(user, queryTexts.get(0), queryVectors[0], Duration.ofMinutes(10)); // loads the vectors
      double cold = (System.nanoTime() - coldStart) / 1e6;
      long warmupEnd = System.nanoTime() + Duration.ofSeconds(WARMUP_SECONDS).toNanos();
      for (int w = 0; w < WARMUP || System.nanoTime() < warmupEnd; w++) {
        run(user, warmupTexts.get(w % WARMUP), warmupVectors[w % WARMUP], Duration.ofSeconds(60));
      }
      List<Double> retrieval = new ArrayList<>();
      List<Double> full = new ArrayList<>();
      ThreadCpu before = ThreadCpu.snapshot();
      double[] loadsBefore = loads();
      long windowStart = System.nanoTime();
      for (int q = 0; q < QUERIES; q++) {
        SearchEvent event = new SearchEvent();
        event.begin();
        long t0 = System.nanoTime();
        run(user, queryTexts.get(q), queryVectors[q], Duration.ofSeconds(60));
        retrieval.add((System.nanoTime() - t0) / 1e6);
        event.memories = n;
        event.phase = "retrieval";
        event.commit();
      }
      double window = (System.nanoTime() - windowStart) / 1e6;
      cpu.append(
              ("\n%,d memories: CPU time by thread group during the %,d timed retrievals (%.0f"
                      + " ms wall clock)\n\n")
                  .formatted(n, QUERIES, window))
          .append(ThreadCpu.table(ThreadCpu.snapshot().since(before), 12));
      double[] loadsAfter = loads();
      cpu.append(
          ("%nThe user's vectors loaded during them: %.0f from Redis (L2), %.0f from PostgreSQL"
                  + " (L3)%n")
              .formatted(loadsAfter[0] - loadsBefore[0], loadsAfter[1] - loadsBefore[1]));
      for (int q = 0; q < QUERIES; q++) {
        SearchEvent event = new SearchEvent();
        event.begin();
        long t0 = System.nanoTime();
        run(user, queryTexts.get(q), null, Duration.ofSeconds(60));
        full.add((System.nanoTime() - t0) / 1e6);
        event.memories = n;
        event.phase = "with query embedding";
        event.commit();
      }
      // the parts alone, one after another: the dense scan (L1 lookup included), the lexical side
      // (the query's lexemes, cached per word by now; BM25 from the user's inverted index) and 30
      // rows as search gets them (L1 rows of earlier hits, the rest from PostgreSQL); the rows
      // straight from PostgreSQL are timed too, for comparison with earlier runs
      List<Double> dense = new ArrayList<>();
      List<Double> lexical = new ArrayList<>();
      List<Double> rows = new ArrayList<>();
      List<Double> database = new ArrayList<>();
      for (int q = 0; q < QUERIES; q++) {
        MemoryFilter filter = filter();
        long t0 = System.nanoTime();
        List<ScoredId> d =
            index
                .search(
                    user, queryVectors[q], config.search().candidates(), filter.toVectorFilter())
                .await()
                .atMost(Duration.ofSeconds(60));
        long t1 = System.nanoTime();
        String[] lexemes = search.lexemes(queryTexts.get(q)).await().atMost(Duration.ofSeconds(60));
        index
            .vectors(user)
            .await()
            .atMost(Duration.ofSeconds(60))
            .lexical(
                lexemes,
                config.search().candidates(),
                filter.toVectorFilter(),
                Fusion.Settings.of(config.search()).bm25());
        long t2 = System.nanoTime();
        List<java.util.UUID> ids = d.stream().limit(30).map(ScoredId::id).toList();
        index
            .rows(index.vectors(user).await().atMost(Duration.ofSeconds(60)), user, ids)
            .await()
            .atMost(Duration.ofSeconds(60));
        long t3 = System.nanoTime();
        repository.findAll(repository.pool(), user, ids).await().atMost(Duration.ofSeconds(60));
        long t4 = System.nanoTime();
        dense.add((t1 - t0) / 1e6);
        lexical.add((t2 - t1) / 1e6);
        rows.add((t3 - t2) / 1e6);
        database.add((t4 - t3) / 1e6);
      }
      out.append(
          ("| %,d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f"
                  + " | %.2f / %.2f |%n")
              .formatted(
                  n,
                  cold,
                  Ranking.percentile(retrieval, 50),
                  Ranking.percentile(retrieval, 99),
                  Ranking.percentile(full, 50),
                  Ranking.percentile(full, 99),
                  Ranking.percentile(dense, 50),
                  Ranking.percentile(dense, 99),
                  Ranking.percentile(lexical, 50),
                  Ranking.percentile(lexical, 99),
                  Ranking.percentile(rows, 50),
                  Ranking.percentile(rows, 99),
                  Ranking.percentile(database, 50),
                  Ranking.percentile(database, 99)));
      Files.createDirectories(Path.of("target/bench")); // each size as soon as it is measured
      Files.writeString(Path.of("target/bench/search-latency.md"), out.toString());
    }
    out.append("SIMD (Vector API): ").append(VectorMath.simd()).append('\n').append(cpu);
    System.out.println(out);
    Files.createDirectories(Path.of("target/bench"));
    Files.writeString(Path.of("target/bench/search-latency.md"), out.toString());
  }

  /** Vector loads so far from L2 and L3 (every user's, and only the bench's user searches). */
  private double[] loads() {
    return new double[] {stats.count("l2", "hit"), stats.count("l3", "load")};
  }

  private void run(String user, String text, float[] vector, Duration timeout) {
    SearchQuery q = new SearchQuery(user, text, 10, filter());
    var result = vector == null ? search.search(q, null) : search.search(q, vector, null);
    result.await().atMost(timeout);
  }

  private static MemoryFilter filter() {
    return new MemoryFilter(
        null, Set.of(MemoryState.ACTIVE, MemoryState.CONSOLIDATED), null, null, null);
  }

  /**
   * Bulk-loads {@code n} memories whose vectors are labelled with this model, as ingest labels them
   * (rows of another model would be re-embedded in the background during the measurement).
   */
  private static void load(String user, int n, List<String> base, float[][] vectors, String model)
      throws Exception {
    Random random = new Random(n);
    Instant now = Instant.now();
    try (Connection c = TestDatabase.connect("engram_memory_test")) {
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement(
              "insert into memory (id, user_id, type, state, content, search_text, salience,"
                  + " strength, stability_days, reinforced_at, occurred_at, created_at,"
                  + " state_changed_at, forget_at, embedding, embedding_model) values (?, ?,"
                  + " 'EPISODIC', 'ACTIVE', ?, ?, 0.5, 0.75, 17.5, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < n; i++) {
          int b = i % base.size();
          String text = base.get(b) + " (#" + i + ")";
          float[] v = vectors[b].clone();
          for (int d = 0; d < v.length; d++) {
            v[d] += (float) (random.nextGaussian() * 0.02);
          }
          Timestamp at = Timestamp.from(now.minusSeconds(60L * (n - i)));
          insert.setObject(1, UUID.randomUUID());
          insert.setString(2, user);
          insert.setString(3, text);
          insert.setString(4, text);
          insert.setTimestamp(5, at);
          insert.setTimestamp(6, at);
          insert.setTimestamp(7, at);
          insert.setTimestamp(8, at);
          insert.setTimestamp(9, Timestamp.from(now.plus(Duration.ofDays(30))));
          insert.setBytes(10, VectorCodec.toBytes(normalize(v)));
          insert.setString(11, model);
          insert.addBatch();
          if (i % 1000 == 999) {
            insert.executeBatch();
          }
        }
        insert.executeBatch();
      }
      c.commit();
      try (var s = c.createStatement()) {
        s.execute("analyze memory");
      }
    }
  }

  private static float[] normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= scale;
    }
    return v;
  }
}
