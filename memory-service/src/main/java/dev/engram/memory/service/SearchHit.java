package dev.engram.memory.service;

import dev.engram.memory.model.Memory;

/**
 * A ranked memory and the parts of its score.
 *
 * @param score the final score: fused relevance re-ranked by recency and strength
 */
public record SearchHit(Memory memory, double score, Parts parts) {

  /**
   * @param dense cosine similarity to the query, or null if not among the dense candidates
   * @param lexical BM25 score, or null if not among the lexical candidates
   * @param fused the fusion of both lists (see {@link Fusion}), 0..1
   * @param recency 0..1, halving every half-life back from the newest candidate
   * @param strength the current (decayed) strength, 0..1
   */
  public record Parts(
      Double dense, Double lexical, double fused, double recency, double strength) {}
}
