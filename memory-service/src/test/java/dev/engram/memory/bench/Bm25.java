package dev.engram.memory.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain BM25 (k1 = 1.2, b = 0.75) over documents, lower-cased words, English stop words out. */
public final class Bm25 {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Set<String> STOP =
      Set.of(
          "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "is",
          "are", "was", "were", "be", "been", "do", "did", "does", "what", "when", "where", "who",
          "how", "which", "why", "i", "you", "he", "she", "it", "we", "they", "my", "your", "his",
          "her", "their", "that", "this", "s", "t", "have", "has", "had", "by", "from", "as", "so");

  private final List<Map<String, Integer>> docs = new ArrayList<>();
  private final Map<String, Integer> df = new HashMap<>();
  private double avgLength;

  public Bm25(List<String> documents) {
    long total = 0;
    for (String d : documents) {
      Map<String, Integer> tf = new HashMap<>();
      for (String t : tokens(d)) {
        tf.merge(t, 1, Integer::sum);
        total++;
      }
      tf.keySet().forEach(t -> df.merge(t, 1, Integer::sum));
      docs.add(tf);
    }
    avgLength = documents.isEmpty() ? 1 : (double) total / documents.size();
  }

  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      if (!STOP.contains(m.group())) {
        out.add(m.group());
      }
    }
    return out;
  }

  /** Indexes of the best {@code k} documents for the query. */
  public List<Integer> top(String query, int k) {
    List<String> terms = tokens(query);
    double[] scores = new double[docs.size()];
    int n = docs.size();
    for (String term : terms) {
      Integer f = df.get(term);
      if (f == null) {
        continue;
      }
      double idf = Math.log(1 + (n - f + 0.5) / (f + 0.5));
      for (int d = 0; d < n; d++) {
        Integer tf = docs.get(d).get(term);
        if (tf != null) {
          int length = docs.get(d).values().stream().mapToInt(Integer::intValue).sum();
          scores[d] += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / avgLength));
        }
      }
    }
    return Ranking.top(scores, k);
  }
}
