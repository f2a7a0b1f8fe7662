package dev.engram.memory.lifecycle;

import dev.engram.memory.config.MemoryConfig;
import java.util.regex.Pattern;

/**
 * The attention a new memory earns, 0..1: a weighted mean of its novelty (how far the user's
 * nearest existing memory is, from identical at 0 to unrelated at 1, on the model's own scale),
 * explicit importance markers in the text, its emotional intensity, and the client's explicit
 * importance when one was given.
 */
public final class SalienceScorer {

  private static final Pattern MARKERS =
      Pattern.compile(
          "(?i)\\b(important|remember|don't forget|do not forget|never forget|crucial|critical"
              + "|must|always|key point|note that|make sure|priority|urgent)\\b");

  private final MemoryConfig.Salience weights;

  public SalienceScorer(MemoryConfig.Salience weights) {
    this.weights = weights;
  }

  /**
   * @param nearestSimilarity cosine similarity to the nearest existing memory, or null if none
   * @param importance the client's importance 0..1, or null
   */
  public double score(String text, Double nearestSimilarity, double intensity, Double importance) {
    double novelty =
        nearestSimilarity == null
            ? 1
            : clamp((1 - nearestSimilarity) / (1 - Math.min(0.99, weights.unrelatedSimilarity())));
    double markers = MARKERS.matcher(text).find() ? 1 : 0;
    double sum =
        weights.novelty() * novelty + weights.markers() * markers + weights.emotion() * intensity;
    double total = weights.novelty() + weights.markers() + weights.emotion();
    if (importance != null) {
      sum += weights.importance() * clamp(importance);
      total += weights.importance();
    }
    return total == 0 ? 0 : clamp(sum / total);
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
