package dev.engram.memory.service;

import dev.engram.memory.model.MemoryFilter;

/**
 * A validated search: the caller, the query text, how many hits, the filter, and whether the hits
 * are reinforced (retrieval practice, when {@code engram.memory.search.reinforce-on-retrieval} is
 * on): a look that must change nothing, such as a context preview, asks for none.
 */
public record SearchQuery(
    String userId, String query, int k, MemoryFilter filter, boolean reinforce) {

  /** A search whose hits are reinforced. */
  public SearchQuery(String userId, String query, int k, MemoryFilter filter) {
    this(userId, query, k, filter, true);
  }
}
