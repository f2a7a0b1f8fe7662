package dev.engram.orchestrator.service.context;

import dev.engram.orchestrator.service.stm.Terms;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fits a turn's context candidates into a token budget, the budget of the whole prompt: what the
 * prompt adds around the items (preamble, time-range note, section headings, bullets, the framing
 * of each chat message: {@link PromptFraming}) is charged too, and hook instructions added later
 * make room for themselves ({@link AssembledContext#withInstruction}). The truncation policy, in
 * order:
 *
 * <ol>
 *   <li>The user's message is always included; if it alone exceeds what the framing leaves of the
 *       budget it is clipped to that.
 *   <li>Duplicates go first: an item is dropped as {@code duplicate}, in favour of the item of the
 *       higher-priority source (of the same source: the higher-ranked), when it has the key of
 *       another ({@code memory:<id>} recalled and also in working memory), is a copy of another
 *       ({@link ContextItem#copyOf()}: a long-term memory of a message that is immediate context or
 *       in working memory), or its normalised text ({@link Terms#normalised}, without the date the
 *       prompt shows before a memory) equals the user's message's or another's. Texts are compared
 *       before they are clipped.
 *   <li>Every item longer than {@code maxItemTokens} is clipped to it (with an ellipsis).
 *   <li>Guaranteed shares: of the budget left after the user's message, each source gets its share
 *       ({@link ContextSource#share()}: profile 10%, immediate 35%, working 15%, long-term 20%,
 *       facts 10%, procedures 5%, session 2%, parent summary 3%) and takes its items in rank order
 *       while they fit. Immediate messages are ranked newest first and stop at the first that does
 *       not fit, so the immediate context is always a contiguous tail of the conversation; other
 *       sources skip an item that does not fit and try the next.
 *   <li>Leftovers: what the shares did not use goes to the remaining items, source by source in the
 *       same priority order, under the same rules.
 *   <li>Everything still left out is dropped as {@code budget}.
 * </ol>
 *
 * Ranks: immediate by recency, every other source by its item score (descending, stable).
 */
public final class ContextAssembler {

  /** The least a budget must leave for the user's message and some context besides the framing. */
  private static final int MIN_CONTENT_TOKENS = 16;

  private final int budget;
  private final int maxItemTokens;
  private final PromptFraming framing;

  /** An assembler for prompts as {@link PromptFraming#PROMPT} frames them. */
  public ContextAssembler(int budget, int maxItemTokens) {
    this(budget, maxItemTokens, PromptFraming.PROMPT);
  }

  public ContextAssembler(int budget, int maxItemTokens, PromptFraming framing) {
    if (budget - framing.fixed(null) < MIN_CONTENT_TOKENS || maxItemTokens < 8) {
      throw new IllegalArgumentException(
          "the token budget must be at least "
              + (framing.fixed(null) + MIN_CONTENT_TOKENS)
              + " (the prompt's own framing takes "
              + framing.fixed(null)
              + ") and items at least 8 tokens");
    }
    this.budget = budget;
    this.maxItemTokens = maxItemTokens;
    this.framing = framing;
  }

  /** Assembles the context. */
  public AssembledContext assemble(ContextCandidates candidates) {
    // a time-range note that would leave too little of a small budget is left out of the prompt
    // (the search was narrowed to the range all the same)
    TimeRange range = candidates.range();
    if (range != null && budget - framing.fixed(range) < MIN_CONTENT_TOKENS) {
      range = null;
    }
    int content = budget - framing.fixed(range);
    String userMessage = Tokens.clip(candidates.userMessage(), content);
    int remaining = content - Tokens.estimate(userMessage);

    Map<ContextSource, List<ContextItem>> ranked = rank(candidates);
    List<DroppedItem> dropped = new ArrayList<>();
    dedupe(ranked, candidates.userMessage(), dropped);
    ranked.values().forEach(items -> items.replaceAll(this::clip));

    Map<ContextSource, List<ContextItem>> chosen = new EnumMap<>(ContextSource.class);
    int used = 0;
    for (ContextSource source : ContextSource.values()) {
      int share = (int) Math.floor(remaining * source.share());
      used += take(ranked.get(source), source, share, chosen);
    }
    int leftover = remaining - used;
    for (ContextSource source : ContextSource.values()) {
      leftover -= take(ranked.get(source), source, Math.max(0, leftover), chosen);
    }
    for (ContextSource source : ContextSource.values()) {
      for (ContextItem item : ranked.get(source)) {
        dropped.add(new DroppedItem(source, item.key(), item.tokens(), "budget"));
      }
    }
    return new AssembledContext(
        userMessage, render(chosen), dropped, budget, List.of(), range, framing);
  }

  private Map<ContextSource, List<ContextItem>> rank(ContextCandidates candidates) {
    Map<ContextSource, List<ContextItem>> ranked = new EnumMap<>(ContextSource.class);
    for (ContextSource source : ContextSource.values()) {
      ranked.put(source, new ArrayList<>());
    }
    List<ContextItem> newestFirst = new ArrayList<>(candidates.immediate());
    Collections.reverse(newestFirst);
    ranked.get(ContextSource.IMMEDIATE).addAll(newestFirst);
    candidates.others().stream()
        .filter(item -> item.source() != ContextSource.IMMEDIATE)
        .sorted(Comparator.comparingDouble(ContextItem::score).reversed())
        .forEach(item -> ranked.get(item.source()).add(item));
    return ranked;
  }

  /**
   * Drops every item that is the same as the user's message or as an item of a higher-priority
   * source, or of the same source ranked higher: same key, a copy of it, or the same normalised
   * text.
   */
  private void dedupe(
      Map<ContextSource, List<ContextItem>> ranked, String userMessage, List<DroppedItem> dropped) {
    Set<String> keys = new HashSet<>();
    Set<String> texts = new HashSet<>();
    texts.add(normalise(userMessage));
    for (ContextSource source : ContextSource.values()) {
      ranked
          .get(source)
          .removeIf(
              item -> {
                String text = normalise(item.text());
                boolean duplicate =
                    keys.contains(item.key())
                        || (item.copyOf() != null && keys.contains(item.copyOf()))
                        || texts.contains(text);
                if (duplicate) {
                  dropped.add(
                      new DroppedItem(source, item.key(), clip(item).tokens(), "duplicate"));
                }
                // a duplicate's identities are the kept item's too
                keys.add(item.key());
                if (item.copyOf() != null) {
                  keys.add(item.copyOf());
                }
                texts.add(text);
                return duplicate;
              });
    }
  }

  /**
   * Moves items of {@code pool} that fit into {@code allowance} (each with its framing, the first
   * of a source with its section's heading); returns the tokens taken.
   */
  private int take(
      List<ContextItem> pool,
      ContextSource source,
      int allowance,
      Map<ContextSource, List<ContextItem>> chosen) {
    int taken = 0;
    var it = pool.iterator();
    while (it.hasNext()) {
      ContextItem item = it.next();
      int cost = framing.heading(source, !chosen.containsKey(source)) + framing.item(item);
      if (taken + cost > allowance) {
        if (source == ContextSource.IMMEDIATE) {
          break;
        }
        continue;
      }
      taken += cost;
      chosen.computeIfAbsent(source, s -> new ArrayList<>()).add(item);
      it.remove();
    }
    return taken;
  }

  private static List<ContextItem> render(Map<ContextSource, List<ContextItem>> chosen) {
    List<ContextItem> items = new ArrayList<>();
    for (ContextSource source : ContextSource.PROMPT_ORDER) {
      List<ContextItem> of = new ArrayList<>(chosen.getOrDefault(source, List.of()));
      if (source == ContextSource.IMMEDIATE) {
        Collections.reverse(of);
      }
      items.addAll(of);
    }
    return items;
  }

  private ContextItem clip(ContextItem item) {
    return item.clippedTo(maxItemTokens);
  }

  private static String normalise(String text) {
    return Terms.normalised(text);
  }
}
