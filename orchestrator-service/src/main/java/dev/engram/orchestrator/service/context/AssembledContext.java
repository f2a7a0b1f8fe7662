package dev.engram.orchestrator.service.context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The context of one turn, within its budget.
 *
 * @param userMessage the message being answered (possibly clipped)
 * @param items what was included, in render order: profile, session, facts, procedures, long-term,
 *     working memory, then the immediate messages oldest first
 * @param dropped what was left out, and why
 * @param budget the token budget
 * @param instructions extra system instructions added by hooks
 */
public record AssembledContext(
    String userMessage,
    List<ContextItem> items,
    List<DroppedItem> dropped,
    int budget,
    List<String> instructions) {

  public AssembledContext {
    items = List.copyOf(items);
    dropped = List.copyOf(dropped);
    instructions = List.copyOf(instructions);
  }

  /** Estimated tokens of everything included (user message and instructions too). */
  public int tokens() {
    int sum = Tokens.estimate(userMessage);
    for (ContextItem item : items) {
      sum += item.tokens();
    }
    for (String instruction : instructions) {
      sum += Tokens.estimate(instruction);
    }
    return sum;
  }

  /** Included items per source label, every source present (zero when none). */
  public Map<String, Integer> countsBySource() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ContextSource source : ContextSource.values()) {
      counts.put(source.label(), 0);
    }
    items.forEach(item -> counts.merge(item.source().label(), 1, Integer::sum));
    return counts;
  }

  /** The included items of one source, in render order. */
  public List<ContextItem> of(ContextSource source) {
    return items.stream().filter(item -> item.source() == source).toList();
  }

  /** A copy with one more system instruction (hooks use this). */
  public AssembledContext withInstruction(String instruction) {
    List<String> more = new ArrayList<>(instructions);
    more.add(instruction);
    return new AssembledContext(userMessage, items, dropped, budget, more);
  }
}
