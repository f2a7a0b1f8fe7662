package dev.engram.orchestrator.client;

import java.util.Map;

/**
 * One search result.
 *
 * @param score the fused, re-ranked score (normalised by memory-service; clamped to 0..1 here)
 * @param parts the score's components (dense, lexical, recency, strength) when given
 */
public record MemoryHit(MemoryView memory, double score, Map<String, Double> parts) {

  public MemoryHit {
    parts = parts == null ? Map.of() : Map.copyOf(parts);
    score = Math.max(0, Math.min(1, score));
  }
}
