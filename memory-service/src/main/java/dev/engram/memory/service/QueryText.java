package dev.engram.memory.service;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lexical side of a query: its words (letters and digits only, at most 32), which PostgreSQL's
 * english configuration then stems, dropping stop words.
 */
final class QueryText {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final int MAX_TERMS = 32;

  private QueryText() {}

  /** e.g. "When did Caroline go hiking?" → "when | did | caroline | go | hiking" (or null). */
  static String orQuery(String query) {
    Set<String> terms = new LinkedHashSet<>();
    Matcher m = WORD.matcher(query.toLowerCase(Locale.ROOT));
    while (m.find() && terms.size() < MAX_TERMS) {
      terms.add(m.group());
    }
    return terms.isEmpty() ? null : String.join(" | ", terms);
  }
}
