package dev.engram.orchestrator.service.stm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scores what asks for attention. Four components, each in 0..1, combined by normalised weights:
 *
 * <ul>
 *   <li><b>relevance</b>: cosine similarity of the item's term frequencies to the current topic
 *       (the activation-weighted terms of the working set); blended half and half with an outside
 *       estimate when there is one (a recalled memory's search score); 0.5 when there is no topic
 *       yet.
 *   <li><b>novelty</b>: the share of the item's terms that the working set does not hold yet.
 *   <li><b>salience</b>: the sum of the cue weights found in the text, capped at 1: importance
 *       markers 0.4, first-person preferences and identity 0.3, emotion words 0.2, a question 0.15,
 *       a number or date 0.15, an exclamation 0.1.
 *   <li><b>recency</b>: {@code 0.5^(age / halfLife)} of what the item refers to.
 * </ul>
 *
 * Pure and deterministic given its inputs, so the unit tests pin it exactly.
 */
public final class AttentionScorer {

  private static final List<Cue> CUES =
      List.of(
          new Cue(
              Pattern.compile(
                  "\\b(important|remember|don't forget|do not forget|must|never|always|urgent|"
                      + "deadline|crucial|critical|note that)\\b"),
              0.4),
          new Cue(
              Pattern.compile(
                  "\\b(i (really )?(like|love|hate|prefer|enjoy|dislike|want|need)|my name|"
                      + "i am|i'm|my favou?rite|i work|i live|call me)\\b"),
              0.3),
          new Cue(
              Pattern.compile(
                  "\\b(love|hate|afraid|worried|anxious|happy|sad|angry|excited|stressed|"
                      + "upset|scared|frustrated|proud|lonely)\\b"),
              0.2),
          new Cue(Pattern.compile("\\?"), 0.15),
          new Cue(Pattern.compile("\\d"), 0.15),
          new Cue(Pattern.compile("!"), 0.1));

  private final double wRelevance;
  private final double wNovelty;
  private final double wSalience;
  private final double wRecency;
  private final Duration halfLife;

  public AttentionScorer(
      double relevance, double novelty, double salience, double recency, Duration halfLife) {
    double sum = relevance + novelty + salience + recency;
    if (sum <= 0 || relevance < 0 || novelty < 0 || salience < 0 || recency < 0) {
      throw new IllegalArgumentException("attention weights must be non-negative, not all zero");
    }
    this.wRelevance = relevance / sum;
    this.wNovelty = novelty / sum;
    this.wSalience = salience / sum;
    this.wRecency = recency / sum;
    this.halfLife = halfLife;
  }

  /**
   * Scores a candidate against the current topic and the terms already held.
   *
   * @param topic activation-weighted term frequencies of the working set
   * @param held every term the working set holds
   */
  public AttentionScore score(
      Candidate candidate, Map<String, Double> topic, Set<String> held, Instant now) {
    Map<String, Integer> frequencies = Terms.frequencies(candidate.text());
    double relevance = relevance(frequencies, topic, candidate.prior());
    double novelty = frequencies.isEmpty() ? 0 : 1 - Terms.containment(frequencies.keySet(), held);
    double salience = salience(candidate.text());
    double recency = recency(candidate.occurredAt(), now);
    double total =
        wRelevance * relevance + wNovelty * novelty + wSalience * salience + wRecency * recency;
    return new AttentionScore(relevance, novelty, salience, recency, clamp(total));
  }

  /** The salience component alone. */
  public static double salience(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    double sum = 0;
    for (Cue cue : CUES) {
      if (cue.pattern.matcher(lower).find()) {
        sum += cue.weight;
      }
    }
    return clamp(sum);
  }

  /** The recency component alone. */
  public double recency(Instant occurredAt, Instant now) {
    if (occurredAt == null || !occurredAt.isBefore(now)) {
      return 1;
    }
    double ages = Duration.between(occurredAt, now).toMillis() / (double) halfLife.toMillis();
    return Math.pow(0.5, ages);
  }

  private static double relevance(
      Map<String, Integer> frequencies, Map<String, Double> topic, double prior) {
    double cosine = topic.isEmpty() ? 0.5 : cosine(frequencies, topic);
    return prior >= 0 ? clamp(0.5 * cosine + 0.5 * prior) : cosine;
  }

  static double cosine(Map<String, Integer> a, Map<String, Double> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return 0;
    }
    double dot = 0;
    double normA = 0;
    for (Map.Entry<String, Integer> e : a.entrySet()) {
      normA += e.getValue() * (double) e.getValue();
      Double other = b.get(e.getKey());
      if (other != null) {
        dot += e.getValue() * other;
      }
    }
    double normB = 0;
    for (double v : b.values()) {
      normB += v * v;
    }
    return dot == 0 ? 0 : clamp(dot / (Math.sqrt(normA) * Math.sqrt(normB)));
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private record Cue(Pattern pattern, double weight) {}
}
