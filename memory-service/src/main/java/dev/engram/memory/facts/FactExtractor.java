package dev.engram.memory.facts;

import java.util.List;

/**
 * Finds semantic facts in a message. The built-in implementation is rule-based ({@link
 * RuleBasedFactExtractor}); an LLM-based extractor can implement the same interface.
 */
public interface FactExtractor {

  /**
   * @param text the message content
   * @param role who wrote it ({@code user}, {@code assistant}, {@code system}, or null for a memory
   *     added directly by its owner)
   */
  List<ExtractedFact> extract(String text, String role);
}
