package dev.engram.orchestrator.service.stm;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The content words of a text: lower-cased, without stop words and very short words, with a light
 * plural folding. Attention, rehearsal detection and the offline responder compare texts by these.
 */
public final class Terms {

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
    words(text, terms::add);
    return terms;
  }

  /** Term frequencies of {@code text}. */
  public static Map<String, Integer> frequencies(String text) {
    Map<String, Integer> counts = new HashMap<>();
    words(text, term -> counts.merge(term, 1, Integer::sum));
    return counts;
  }

  /**
   * The runs of letters and digits ({@code \p{L}}, {@code \p{N}}) of the lower-cased text joined by
   * single spaces: the text as duplicates are compared (punctuation, case and spacing aside).
   */
  public static String normalised(String text) {
    StringBuilder out = new StringBuilder();
    runs(
        text,
        run -> {
          if (!out.isEmpty()) {
            out.append(' ');
          }
          out.append(run);
        });
    return out.toString();
  }

  /** Hands every content word of {@code text} to {@code sink}: at least 3 long, not a stop word. */
  private static void words(String text, Consumer<String> sink) {
    runs(
        text,
        run -> {
          if (run.length() >= 3 && !STOP.contains(run)) {
            sink.accept(fold(run));
          }
        });
  }

  /**
   * Hands the runs of letters and digits of the lower-cased {@code text} to {@code sink}, as a
   * split on {@code [^\p{L}\p{N}]+} would find them. A scan instead of a regular expression:
   * attention runs it for every item and candidate of every turn.
   */
  private static void runs(String text, Consumer<String> sink) {
    if (text == null) {
      return;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    int start = -1;
    for (int i = 0; i <= lower.length(); ) {
      int cp = i < lower.length() ? lower.codePointAt(i) : ' ';
      if (isWordChar(cp)) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        sink.accept(lower.substring(start, i));
        start = -1;
      }
      i += Character.charCount(cp);
    }
  }

  private static boolean isWordChar(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z');
    }
    if (Character.isLetter(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
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
