package dev.engram.memory.index;

import java.util.Arrays;

/**
 * A memory's lexemes as PostgreSQL's {@code english} configuration makes them from its search text
 * (the stored {@code tsvector}: stemmed, stop words dropped), each with its number of occurrences.
 */
public record TermCounts(String[] lexemes, int[] counts) {

  public static final TermCounts NONE = new TermCounts(new String[0], new int[0]);

  public TermCounts {
    if (lexemes.length != counts.length) {
      throw new IllegalArgumentException(lexemes.length + " lexemes, " + counts.length + " counts");
    }
  }

  public int size() {
    return lexemes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TermCounts t
        && Arrays.equals(lexemes, t.lexemes)
        && Arrays.equals(counts, t.counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(lexemes) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("TermCounts[");
    for (int i = 0; i < lexemes.length; i++) {
      out.append(i == 0 ? "" : " ").append(lexemes[i]).append(':').append(counts[i]);
    }
    return out.append(']').toString();
  }
}
