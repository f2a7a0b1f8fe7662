package dev.engram.memory.repository;

import dev.engram.memory.index.TermCounts;
import io.vertx.mutiny.sqlclient.Row;

/** Reads a memory's lexical terms from its stored {@code tsvector}. */
final class Terms {

  /**
   * Select-list items giving the row's lexemes and, in the same order, each one's number of
   * positions (PostgreSQL keeps up to 256; a lexeme without positions counts once).
   */
  static final String OF_TSV =
      "array(select u.lexeme from unnest(tsv) u) as lexemes,"
          + " array(select coalesce(array_length(u.positions, 1), 1) from unnest(tsv) u) as counts";

  private Terms() {}

  static TermCounts of(Row r) {
    String[] lexemes = r.getArrayOfStrings("lexemes");
    Integer[] counts = r.getArrayOfIntegers("counts");
    if (lexemes == null || counts == null || lexemes.length == 0) {
      return TermCounts.NONE;
    }
    int[] n = new int[counts.length];
    for (int i = 0; i < n.length; i++) {
      n[i] = counts[i];
    }
    return new TermCounts(lexemes, n);
  }
}
