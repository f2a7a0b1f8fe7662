package dev.engram.memory.facts;

import dev.engram.events.FactCategory;
import java.util.Locale;

/**
 * A fact found in a message.
 *
 * @param slot facts of one subject with the same slot contradict each other unless they are equal
 *     (for example {@code lives_in}, or {@code preference:hiking} for likes/dislikes hiking); null
 *     for facts that can hold side by side
 */
public record ExtractedFact(
    FactCategory category,
    String subject,
    String predicate,
    String object,
    double confidence,
    String slot) {

  /** The object as compared for duplicates and contradictions. */
  public String normalizedObject() {
    return normalize(object);
  }

  /** Lower case, single spaces, no leading article. */
  public static String normalize(String text) {
    return text.toLowerCase(Locale.ROOT)
        .replaceAll("\\s+", " ")
        .replaceFirst("^(the|a|an) ", "")
        .trim();
  }

  /**
   * The slot of a single-valued fact: likes and dislikes of one thing contradict each other ({@code
   * preference:<object>}: liking hiking and liking tea hold side by side), any other predicate
   * holds one object at a time (living in Oslo, then in Lisbon).
   */
  public static String exclusiveSlot(String predicate, String object) {
    if (predicate.equals("likes") || predicate.equals("dislikes")) {
      return "preference:" + normalize(object);
    }
    return predicate;
  }

  /** The sentence a SEMANTIC memory of this fact says. */
  public String sentence() {
    String who = "user".equals(subject) ? "The user" : subject;
    return who + " " + predicate.replace('_', ' ') + " " + object;
  }
}
