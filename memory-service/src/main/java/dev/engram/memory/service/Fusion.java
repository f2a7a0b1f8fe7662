package dev.engram.memory.service;

import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.index.ScoredId;
import dev.engram.memory.index.UserVectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * How a hybrid search's dense and lexical candidate lists become one relevance in [0, 1].
 *
 * <ul>
 *   <li>{@link Method#RRF}: weighted reciprocal-rank fusion, {@code w_d/(K + rank_d) + (1 - w_d)/(K
 *       + rank_l)}, divided by its value for first in both lists.
 *   <li>{@link Method#SCORE}: a convex combination of the normalised scores, {@code w_d·dense + (1
 *       - w_d)·lexical}: dense similarities min-max over the dense candidates, BM25 scores divided
 *       by the best one; a memory absent from a list scores 0 there. Unlike ranks, this keeps how
 *       far ahead a strong hit is.
 * </ul>
 *
 * Then, with a neighbour weight {@code λ > 0}, the conversation around a hit: a memory gains {@code
 * λ} times the better fused score of the memories just before and after it in its session (its
 * neighbours, which join the candidates if absent), and the sum is divided by {@code 1 + λ}. The
 * answer to a question often sits next to the turn that matches it best ("Did you go?" — "Yes, last
 * Tuesday").
 */
public final class Fusion {

  /** How the two lists are combined. */
  public enum Method {
    RRF,
    SCORE
  }

  /**
   * The settings of one ranking (see {@link MemoryConfig.Search}); {@code speakerWeight} is applied
   * by the re-ranking ({@link SearchService}), after the fusion.
   */
  public record Settings(
      Method method,
      double denseWeight,
      int rrfK,
      double neighbourWeight,
      UserVectors.Bm25 bm25,
      double speakerWeight) {

    /** Without the speaker rule. */
    public Settings(
        Method method,
        double denseWeight,
        int rrfK,
        double neighbourWeight,
        UserVectors.Bm25 bm25) {
      this(method, denseWeight, rrfK, neighbourWeight, bm25, 0);
    }

    public static Settings of(MemoryConfig.Search c) {
      return new Settings(
          c.fusion(),
          c.denseWeight(),
          c.rrfK(),
          c.neighbourWeight(),
          new UserVectors.Bm25((float) c.bm25K1(), (float) c.bm25B()),
          c.speakerWeight());
    }
  }

  /** One candidate: its raw dense similarity and BM25 score (null if absent) and relevance. */
  static final class Fused {
    final UUID id;
    Double dense;
    Double lexical;
    double relevance;

    Fused(UUID id) {
      this.id = id;
    }

    double relevance() {
      return relevance;
    }
  }

  private Fusion() {}

  /** The candidates of both lists with their relevance, unordered. */
  static Map<UUID, Fused> fuse(List<ScoredId> dense, List<ScoredId> lexical, Settings s) {
    Map<UUID, Fused> fused = new HashMap<>();
    double wd = s.denseWeight();
    if (s.method() == Method.RRF) {
      double k = s.rrfK();
      double best = wd / (k + 1) + (1 - wd) / (k + 1);
      for (int i = 0; i < dense.size(); i++) {
        Fused f = fused.computeIfAbsent(dense.get(i).id(), Fused::new);
        f.dense = (double) dense.get(i).score();
        f.relevance += wd / (k + i + 1) / best;
      }
      for (int i = 0; i < lexical.size(); i++) {
        Fused f = fused.computeIfAbsent(lexical.get(i).id(), Fused::new);
        f.lexical = (double) lexical.get(i).score();
        f.relevance += (1 - wd) / (k + i + 1) / best;
      }
      return fused;
    }
    add(fused, dense, wd, true);
    add(fused, lexical, 1 - wd, false);
    return fused;
  }

  /**
   * Adds a list's normalised scores: dense similarities min-max over the candidates (a cosine has
   * no natural zero: unrelated texts score well above it), BM25 scores divided by the best (0 is
   * "no term in common"; min-max would give the last of a short list nothing, as if absent).
   */
  private static void add(Map<UUID, Fused> fused, List<ScoredId> list, double w, boolean dense) {
    if (list.isEmpty()) {
      return;
    }
    double max = list.get(0).score();
    double min = !dense || list.size() == 1 ? 0 : list.get(list.size() - 1).score();
    double range = max - min;
    for (ScoredId hit : list) {
      Fused f = fused.computeIfAbsent(hit.id(), Fused::new);
      if (dense) {
        f.dense = (double) hit.score();
      } else {
        f.lexical = (double) hit.score();
      }
      f.relevance += w * (range <= 0 ? 1 : (hit.score() - min) / range);
    }
  }

  /**
   * The best {@code n} candidates after the neighbour rule: the best {@code n} by fused relevance
   * are looked up in the conversation ({@code neighbours}: a memory's previous and next, either
   * null), then every one of them and their neighbours gains {@code λ} times its better neighbour's
   * fused relevance. Best first.
   */
  static List<Fused> top(
      Map<UUID, Fused> fused,
      int n,
      double neighbourWeight,
      Function<List<UUID>, Map<UUID, UUID[]>> neighbours) {
    List<Fused> best = sorted(fused.values(), n);
    if (neighbourWeight <= 0) {
      return best;
    }
    Map<UUID, UUID[]> around = neighbours.apply(best.stream().map(f -> f.id).toList());
    Map<UUID, Double> base = new HashMap<>();
    fused.values().forEach(f -> base.put(f.id, f.relevance));
    // every memory next to one of the best learns its neighbours too, so a neighbour that was no
    // candidate is scored by the hit beside it
    Map<UUID, Double> bonus = new HashMap<>();
    around.forEach(
        (id, pair) -> {
          double mine = base.getOrDefault(id, 0.0);
          for (UUID next : pair) {
            if (next != null) {
              fused.computeIfAbsent(next, Fused::new);
              bonus.merge(next, mine, Math::max);
              bonus.merge(id, base.getOrDefault(next, 0.0), Math::max);
            }
          }
        });
    List<Fused> all = new ArrayList<>(fused.values());
    for (Fused f : all) {
      f.relevance =
          (base.getOrDefault(f.id, 0.0) + neighbourWeight * bonus.getOrDefault(f.id, 0.0))
              / (1 + neighbourWeight);
    }
    return sorted(all, n);
  }

  private static List<Fused> sorted(java.util.Collection<Fused> all, int n) {
    return all.stream()
        .sorted(Comparator.comparingDouble(Fused::relevance).reversed())
        .limit(n)
        .toList();
  }
}
