package dev.engram.memory.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Small helpers of the benchmarks: top-k of a score array, recall, percentiles. */
public final class Ranking {

  private Ranking() {}

  public static List<Integer> top(double[] scores, int k) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] > 0 || scores[i] < 0) {
        idx.add(i);
      }
    }
    idx.sort((a, b) -> Double.compare(scores[b], scores[a]));
    return idx.size() > k ? idx.subList(0, k) : idx;
  }

  /** Fraction of the evidence among the first {@code k} retrieved. */
  public static double recall(List<String> retrieved, Set<String> evidence, int k) {
    long found = retrieved.stream().limit(k).distinct().filter(evidence::contains).count();
    return (double) found / evidence.size();
  }

  public static boolean any(List<String> retrieved, Set<String> evidence, int k) {
    return retrieved.stream().limit(k).anyMatch(evidence::contains);
  }

  public static double percentile(Collection<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
