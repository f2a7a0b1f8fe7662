package dev.engram.orchestrator.service.context;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The context of one turn, within its budget.
 *
 * @param userMessage the message being answered (possibly clipped)
 * @param items what was included, in render order: profile, session, facts, procedures, long-term,
 *     working memory, then the immediate messages oldest first
 * @param dropped what was left out, and why
 * @param budget the token budget of the whole prompt
 * @param instructions extra system instructions added by hooks
 * @param range the time range the question refers to, or null
 * @param framing what the rendered prompt adds around the items (counted against the budget)
 */
public record AssembledContext(
    String userMessage,
    List<ContextItem> items,
    List<DroppedItem> dropped,
    int budget,
    List<String> instructions,
    TimeRange range,
    PromptFraming framing) {

  public AssembledContext {
    items = List.copyOf(items);
    dropped = List.copyOf(dropped);
    instructions = List.copyOf(instructions);
  }

  /** A context as the prompt frames it, without a time range. */
  public AssembledContext(
      String userMessage,
      List<ContextItem> items,
      List<DroppedItem> dropped,
      int budget,
      List<String> instructions) {
    this(userMessage, items, dropped, budget, instructions, null, PromptFraming.PROMPT);
  }

  /**
   * Estimated tokens of the prompt rendered from this context: the user's message, every item and
   * instruction, and the framing around them (see {@link PromptFraming}).
   */
  public int tokens() {
    int sum = framing.fixed(range) + Tokens.estimate(userMessage);
    Set<ContextSource> present = EnumSet.noneOf(ContextSource.class);
    for (ContextItem item : items) {
      sum += framing.heading(item.source(), present.add(item.source())) + framing.item(item);
    }
    for (String instruction : instructions) {
      sum += framing.instruction(instruction);
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

  /**
   * A copy with one more system instruction (hooks use this). The instruction is charged against
   * the budget: while the whole no longer fits, items go as {@code budget}, the least important
   * first (sources in the reverse of the policy's order, the lowest-ranked item of a source first,
   * the oldest immediate message first, so that the conversation stays a contiguous tail). The
   * instruction itself is always kept, even when nothing else is left.
   */
  public AssembledContext withInstruction(String instruction) {
    List<String> more = new ArrayList<>(instructions);
    more.add(instruction);
    List<ContextItem> kept = new ArrayList<>(items);
    List<DroppedItem> out = new ArrayList<>(dropped);
    AssembledContext next =
        new AssembledContext(userMessage, kept, out, budget, more, range, framing);
    while (next.tokens() > budget) {
      int victim = leastImportant(kept);
      if (victim < 0) {
        break;
      }
      ContextItem gone = kept.remove(victim);
      out.add(new DroppedItem(gone.source(), gone.key(), gone.tokens(), "budget"));
      next = new AssembledContext(userMessage, kept, out, budget, more, range, framing);
    }
    return next;
  }

  private static int leastImportant(List<ContextItem> items) {
    ContextSource[] sources = ContextSource.values();
    for (int s = sources.length - 1; s >= 0; s--) {
      ContextSource source = sources[s];
      if (source == ContextSource.IMMEDIATE) {
        for (int i = 0; i < items.size(); i++) {
          if (items.get(i).source() == source) {
            return i;
          }
        }
      } else {
        for (int i = items.size() - 1; i >= 0; i--) {
          if (items.get(i).source() == source) {
            return i;
          }
        }
      }
    }
    return -1;
  }
}
