package dev.engram.memory.lifecycle;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small lexicon-based estimate of a text's emotional valence (-1 negative .. +1 positive) and
 * intensity (0 neutral .. 1 strong): emotion words, intensifiers, negation and exclamation marks.
 */
public final class EmotionScorer {

  /** Valence and intensity of a text. */
  public record Emotion(double valence, double intensity) {}

  private static final Pattern WORD = Pattern.compile("[\\p{L}']+");

  private static final Set<String> POSITIVE =
      Set.of(
          "love",
          "loved",
          "happy",
          "glad",
          "great",
          "wonderful",
          "amazing",
          "awesome",
          "excited",
          "exciting",
          "joy",
          "delighted",
          "proud",
          "grateful",
          "thankful",
          "fantastic",
          "beautiful",
          "enjoy",
          "enjoyed",
          "fun",
          "thrilled",
          "best",
          "perfect",
          "relieved",
          "celebrate",
          "celebrated",
          "win",
          "won",
          "success",
          "successful",
          "promoted",
          "married",
          "engaged");
  private static final Set<String> NEGATIVE =
      Set.of(
          "hate",
          "hated",
          "sad",
          "angry",
          "upset",
          "terrible",
          "awful",
          "horrible",
          "scared",
          "afraid",
          "anxious",
          "worried",
          "depressed",
          "lonely",
          "hurt",
          "pain",
          "painful",
          "lost",
          "cried",
          "crying",
          "stressed",
          "stress",
          "furious",
          "disappointed",
          "worst",
          "sick",
          "died",
          "death",
          "funeral",
          "accident",
          "fired",
          "broke",
          "divorce",
          "fear",
          "miss");
  private static final Set<String> INTENSIFIERS =
      Set.of("very", "really", "so", "extremely", "incredibly", "totally", "absolutely", "truly");
  private static final Set<String> NEGATIONS =
      Set.of("not", "no", "never", "don't", "didn't", "isn't", "wasn't", "can't", "won't");

  public Emotion score(String text) {
    var words = WORD.matcher(text.toLowerCase(Locale.ROOT));
    double positive = 0;
    double negative = 0;
    double boost = 1;
    boolean negated = false;
    int count = 0;
    while (words.find()) {
      String word = words.group();
      count++;
      if (INTENSIFIERS.contains(word)) {
        boost = 1.5;
        continue;
      }
      if (NEGATIONS.contains(word)) {
        negated = true;
        continue;
      }
      boolean pos = POSITIVE.contains(word);
      boolean neg = NEGATIVE.contains(word);
      if (pos || neg) {
        boolean positiveSense = pos != negated;
        if (positiveSense) {
          positive += boost;
        } else {
          negative += boost;
        }
      }
      boost = 1;
      negated = false;
    }
    long exclamations = text.chars().filter(c -> c == '!').count();
    double hits = positive + negative;
    if (count == 0) {
      return new Emotion(0, 0);
    }
    double valence = hits == 0 ? 0 : (positive - negative) / hits;
    double intensity = Math.min(1, 1 - Math.exp(-(hits * 0.8 + Math.min(3, exclamations) * 0.3)));
    return new Emotion(valence, intensity);
  }
}
