package dev.engram.memory.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.lifecycle.LifecyclePolicy;
import dev.engram.memory.model.Memory;
import dev.engram.memory.repository.MemoryRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Hybrid search over one user's memories.
 *
 * <ol>
 *   <li>Dense: the query's embedding against the user's vectors (cosine, SIMD scan), top {@code
 *       candidates}.
 *   <li>Lexical: the query's lexemes (PostgreSQL's english configuration, as the memories' stored
 *       {@code tsvector}s) against the terms of the user's memories held with their vectors, ranked
 *       by BM25 over the user's own document frequencies, top {@code candidates}.
 *   <li>Fusion ({@link Fusion}): weighted reciprocal-rank fusion or a convex combination of the
 *       normalised scores, then optionally the conversation around the best hits (their previous
 *       and next memory in the session) raised by a share of their relevance.
 *   <li>The speaker rule: when the query names the speaker of some candidates (every word of the
 *       name is a word of the query), their relevance becomes {@code (1 - w)·fused + w} and the
 *       others' {@code (1 - w)·fused}.
 *   <li>Re-ranking: {@code (1 - w_r - w_s)·relevance + w_r·recency + w_s·strength}.
 * </ol>
 *
 * The hits returned are reinforced (retrieval practice) in the background, coalesced per user
 * ({@link RetrievalReinforcement}), unless the query asks for none ({@link
 * SearchQuery#reinforce()}): a search changes nothing else (no access count, no last access, no
 * event).
 */
@ApplicationScoped
public class SearchService {

  private final Embedder embedder;
  private final VectorIndex index;
  private final MemoryRepository repository;
  private final MemoryService memories;
  private final RetrievalReinforcement reinforcement;
  private final MemoryConfig.Search config;
  private final List<String> speakerKeys;
  private final Fusion.Settings settings;
  private final Cache<String, String[]> lexemeCache =
      Caffeine.newBuilder().maximumSize(100_000).build();

  public SearchService(
      Embedder embedder,
      VectorIndex index,
      MemoryRepository repository,
      MemoryService memories,
      RetrievalReinforcement reinforcement,
      MemoryConfig config) {
    this.reinforcement = reinforcement;
    this.embedder = embedder;
    this.index = index;
    this.repository = repository;
    this.memories = memories;
    this.config = config.search();
    this.speakerKeys = config.ingest().speakerKeys();
    this.settings = Fusion.Settings.of(this.config);
  }

  @WithSpan("SearchService.search")
  public Uni<List<SearchHit>> search(SearchQuery q, String traceparent) {
    return embedder.embedQuery(q.query()).flatMap(vector -> search(q, vector, traceparent));
  }

  /** Search with an already embedded query. */
  public Uni<List<SearchHit>> search(SearchQuery q, float[] vector, String traceparent) {
    return search(q, vector, traceparent, settings);
  }

  /**
   * Search with an already embedded query and ranking settings of its own (a benchmark compares
   * settings on one set of memories).
   */
  public Uni<List<SearchHit>> search(
      SearchQuery q, float[] vector, String traceparent, Fusion.Settings settings) {
    return search(q, vector, traceparent, settings, null);
  }

  /** As {@link #search(SearchQuery, float[], String)}, its stages timed in a recall's trace. */
  Uni<List<SearchHit>> search(
      SearchQuery q, float[] vector, String traceparent, RecallStages.Trace trace) {
    return search(q, vector, traceparent, settings, trace);
  }

  private Uni<List<SearchHit>> search(
      SearchQuery q,
      float[] vector,
      String traceparent,
      Fusion.Settings settings,
      RecallStages.Trace trace) {
    int n = Math.max(config.candidates(), q.k());
    Uni<String[]> lexemes = timed(trace, RecallStages.Stage.LEXEMES, lexemes(q.query()));
    return timed(
            trace,
            RecallStages.Stage.CANDIDATES,
            index.hybrid(
                q.userId(), vector, lexemes, n, q.filter().toVectorFilter(), settings.bm25()))
        .flatMap(c -> rank(q, c, settings, trace))
        .invoke(hits -> reinforce(q, hits, traceparent));
  }

  private static <T> Uni<T> timed(RecallStages.Trace trace, RecallStages.Stage stage, Uni<T> work) {
    return trace == null ? work : trace.time(stage, work);
  }

  /**
   * The query's lexemes: each word's are made by PostgreSQL once (one call for all of a query's new
   * words) and then cached, so a query of known words needs no round trip.
   */
  public Uni<String[]> lexemes(String query) {
    List<String> words = QueryText.words(query);
    List<String> unknown = words.stream().filter(w -> lexemeCache.getIfPresent(w) == null).toList();
    Uni<Map<String, String[]>> made =
        unknown.isEmpty()
            ? Uni.createFrom().item(Map.of())
            : repository.lexemesOfWords(unknown).invoke(lexemeCache::putAll);
    return made.map(
        fresh -> {
          Set<String> lexemes = new LinkedHashSet<>();
          for (String word : words) {
            String[] known =
                fresh.containsKey(word) ? fresh.get(word) : lexemeCache.getIfPresent(word);
            if (known != null) {
              lexemes.addAll(Arrays.asList(known));
            }
          }
          return lexemes.toArray(String[]::new);
        });
  }

  private Uni<List<SearchHit>> rank(
      SearchQuery q, VectorIndex.Candidates c, Fusion.Settings settings, RecallStages.Trace trace) {
    Map<UUID, Fusion.Fused> fused = Fusion.fuse(c.dense(), c.lexical(), settings);
    List<Fusion.Fused> candidates =
        Fusion.top(
            fused,
            Math.max(q.k() * 3, 30),
            settings.neighbourWeight(),
            ids -> c.vectors().neighbours(ids, q.filter().toVectorFilter()));
    return timed(
            trace,
            RecallStages.Stage.ROWS,
            index.rows(c.vectors(), q.userId(), candidates.stream().map(f -> f.id).toList()))
        .map(rows -> rerank(q, candidates, rows, settings.speakerWeight()));
  }

  private List<SearchHit> rerank(
      SearchQuery q, List<Fusion.Fused> candidates, Map<UUID, Memory> rows, double speakerWeight) {
    Set<UUID> spokenByNamed = speakerWeight > 0 ? spokenByNamed(q.query(), rows) : Set.of();
    Instant now = memories.now();
    Instant newest =
        rows.values().stream().map(Memory::occurredAt).max(Comparator.naturalOrder()).orElse(now);
    double halfLifeSeconds = config.recencyHalfLife().toSeconds();
    double wr = config.recencyWeight();
    double ws = config.strengthWeight();
    List<SearchHit> hits = new ArrayList<>();
    for (Fusion.Fused f : candidates) {
      Memory m = rows.get(f.id);
      if (m == null) {
        continue; // deleted since the index saw it
      }
      double age = Math.max(0, Duration.between(m.occurredAt(), newest).toSeconds());
      double recency = Math.pow(0.5, age / halfLifeSeconds);
      double strength = memories.curve().strengthAt(LifecyclePolicy.trace(m), now);
      double relevance = f.relevance();
      if (!spokenByNamed.isEmpty()) {
        relevance =
            (1 - speakerWeight) * relevance + (spokenByNamed.contains(m.id()) ? speakerWeight : 0);
      }
      double score = (1 - wr - ws) * relevance + wr * recency + ws * strength;
      hits.add(
          new SearchHit(
              m, score, new SearchHit.Parts(f.dense, f.lexical, relevance, recency, strength)));
    }
    hits.sort(Comparator.comparingDouble(SearchHit::score).reversed());
    return hits.size() > q.k() ? List.copyOf(hits.subList(0, q.k())) : hits;
  }

  /**
   * The memories among {@code rows} whose speaker the query names: every word of the speaker's name
   * (letters and digits, as {@link QueryText} splits a query) is a word of the query ("Caroline",
   * "Dr. Lee" for "what did dr lee say"). The speaker is the first of the ingest's speaker keys
   * found in the memory's metadata.
   */
  Set<UUID> spokenByNamed(String query, Map<UUID, Memory> rows) {
    Set<String> words = new java.util.HashSet<>(QueryText.words(query));
    Map<String, Boolean> named = new java.util.HashMap<>();
    Set<UUID> out = new java.util.HashSet<>();
    for (Memory m : rows.values()) {
      String speaker = speaker(m);
      if (speaker != null
          && named.computeIfAbsent(
              speaker,
              s -> {
                List<String> parts = QueryText.words(s);
                return !parts.isEmpty() && words.containsAll(parts);
              })) {
        out.add(m.id());
      }
    }
    return out;
  }

  private String speaker(Memory m) {
    if (m.metadata() == null) {
      return null;
    }
    for (String key : speakerKeys) {
      if (m.metadata().get(key) instanceof String name && !name.isBlank()) {
        return name;
      }
    }
    return null;
  }

  private void reinforce(SearchQuery q, List<SearchHit> hits, String traceparent) {
    if (config.reinforceOnRetrieval() && q.reinforce()) {
      reinforcement.retrieved(
          q.userId(), hits.stream().map(h -> h.memory().id()).toList(), traceparent);
    }
  }
}
