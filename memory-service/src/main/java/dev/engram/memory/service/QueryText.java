package dev.engram.memory.service;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lexical side of a query: its words (letters and digits only, lower case, distinct, at most
 * 32), which PostgreSQL's english configuration then stems, dropping stop words. Each word is a
 * token of its own there, so a word's lexeme does not depend on the words around it and can be
 * cached per word.
 */
final class QueryText {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final int MAX_TERMS = 32;

  private QueryText() {}

  /** e.g. "When did Caroline go hiking?" → [when, did, caroline, go, hiking]. */
  static List<String> words(String query) {
    Set<String> terms = new LinkedHashSet<>();
    Matcher m = WORD.matcher(query.toLowerCase(Locale.ROOT));
    while (m.find() && terms.size() < MAX_TERMS) {
      terms.add(m.group());
    }
    return List.copyOf(terms);
  }
}
