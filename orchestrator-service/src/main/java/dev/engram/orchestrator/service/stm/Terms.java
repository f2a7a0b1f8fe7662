package dev.engram.orchestrator.service.stm;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The content words of a text: lower-cased, without stop words and very short words, with a light
 * plural folding. Attention, rehearsal detection and the offline responder compare texts by these.
 */
public final class Terms {

  private static final Pattern SPLIT = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Set<String> STOP =
      Set.of(
          "the",
          "and",
          "for",
          "are",
          "but",
          "not",
          "you",
          "your",
          "yours",
          "all",
          "any",
          "can",
          "had",
          "her",
          "was",
          "one",
          "our",
          "out",
          "has",
          "have",
          "his",
          "how",
          "its",
          "may",
          "who",
          "did",
          "does",
          "doing",
          "get",
          "got",
          "him",
          "she",
          "too",
          "use",
          "that",
          "this",
          "with",
          "from",
          "they",
          "them",
          "then",
          "than",
          "there",
          "their",
          "what",
          "when",
          "where",
          "which",
          "while",
          "will",
          "would",
          "could",
          "should",
          "about",
          "into",
          "just",
          "like",
          "some",
          "such",
          "very",
          "been",
          "being",
          "were",
          "also",
          "only",
          "over",
          "said",
          "say",
          "tell",
          "know",
          "want",
          "need",
          "please",
          "thanks",
          "thank",
          "yes",
          "okay",
          "here",
          "more",
          "most",
          "much",
          "many",
          "each",
          "other",
          "these",
          "those",
          "because",
          "me",
          "my",
          "mine",
          "myself",
          "we",
          "us",
          "it",
          "is",
          "am",
          "be",
          "do",
          "to",
          "of",
          "in",
          "on",
          "at",
          "by",
          "or",
          "an",
          "a",
          "i",
          "so",
          "if",
          "no",
          "up",
          "as",
          "what's",
          "i'm",
          "don",
          "didn",
          "doesn",
          "isn",
          "wasn",
          "let",
          "ago",
          "last",
          "week",
          "weeks",
          "day",
          "days",
          "month",
          "months",
          "year",
          "years",
          "today",
          "yesterday",
          "remember");

  private Terms() {}

  /** The distinct content words of {@code text}, in order of first appearance. */
  public static Set<String> of(String text) {
    Set<String> terms = new LinkedHashSet<>();
    if (text == null) {
      return terms;
    }
    for (String raw : SPLIT.split(text.toLowerCase(Locale.ROOT))) {
      if (raw.length() < 3 || STOP.contains(raw)) {
        continue;
      }
      terms.add(fold(raw));
    }
    return terms;
  }

  /** Term frequencies of {@code text}. */
  public static Map<String, Integer> frequencies(String text) {
    Map<String, Integer> counts = new HashMap<>();
    if (text == null) {
      return counts;
    }
    for (String raw : SPLIT.split(text.toLowerCase(Locale.ROOT))) {
      if (raw.length() >= 3 && !STOP.contains(raw)) {
        counts.merge(fold(raw), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Share of {@code a}'s terms that also occur in {@code b} (0 when {@code a} is empty). */
  public static double containment(Collection<String> a, Collection<String> b) {
    if (a.isEmpty()) {
      return 0;
    }
    long shared = a.stream().filter(b::contains).count();
    return (double) shared / a.size();
  }

  /** Jaccard similarity of two term sets. */
  public static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 0;
    }
    long shared = a.stream().filter(b::contains).count();
    return shared / (double) (a.size() + b.size() - shared);
  }

  private static String fold(String word) {
    if (word.length() > 4 && word.endsWith("ies")) {
      return word.substring(0, word.length() - 3) + "y";
    }
    if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")) {
      return word.substring(0, word.length() - 1);
    }
    return word;
  }
}
