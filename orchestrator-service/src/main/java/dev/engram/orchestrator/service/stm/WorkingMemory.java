package dev.engram.orchestrator.service.stm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The attention-scored working set of one user, held in RAM. Thread-safe: every operation runs
 * under the instance's lock, and readers get immutable copies.
 *
 * <p>One turn ({@link #attend}) runs four steps in order:
 *
 * <ol>
 *   <li><b>decay</b>: every item's activation is multiplied by {@code 1 - decayPerTurn};
 *   <li><b>rehearsal</b>: an item is rehearsed when a candidate has its key, when a candidate's
 *       terms are nearly the same (Jaccard at least 0.8), or when the user's message contains at
 *       least {@code rehearsalOverlap} of the item's terms; a rehearsed item gains {@code
 *       rehearsalBoost} activation (capped at 1), and a rehearsed long-term memory is reported for
 *       reinforcement;
 *   <li><b>entry</b>: any other candidate enters with its attention score as activation;
 *   <li><b>eviction</b>: items below {@code activationFloor} are forgotten, then the least active
 *       (the oldest among equals) until the set fits its capacity.
 * </ol>
 */
public final class WorkingMemory {

  private static final double DUPLICATE_JACCARD = 0.8;

  private final StmPolicy policy;
  private final AttentionScorer scorer;
  private final Map<String, WorkingItem> items = new LinkedHashMap<>();
  private long turn;

  public WorkingMemory(StmPolicy policy, AttentionScorer scorer) {
    this.policy = policy;
    this.scorer = scorer;
  }

  /** Runs one turn with what asks for attention now. */
  public synchronized StmUpdate attend(List<Candidate> candidates, Instant now) {
    turn++;
    items.replaceAll((k, item) -> item.withActivation(item.activation() * (1 - policy.decay())));

    List<String> added = new ArrayList<>();
    Set<String> rehearsed = new HashSet<>();
    List<UUID> reinforce = new ArrayList<>();
    // each held item's terms, computed once this turn (an item's text never changes)
    Map<String, Set<String>> termsOf = new HashMap<>();
    Map<String, Double> topic = topic();
    Set<String> held = heldTerms(termsOf);
    for (Candidate candidate : candidates) {
      Set<String> terms = Terms.of(candidate.text());
      List<String> hits = rehearsedBy(candidate, terms, termsOf);
      for (String key : hits) {
        if (rehearsed.add(key)) {
          WorkingItem item = items.get(key);
          items.put(key, item.rehearsed(Math.min(1, item.activation() + policy.boost()), turn));
          if (item.memoryId() != null) {
            reinforce.add(item.memoryId());
          }
        }
      }
      if (hits.contains(candidate.key())
          || hits.stream().anyMatch(k -> isDuplicate(k, terms, termsOf))) {
        continue;
      }
      AttentionScore score = scorer.score(candidate, topic, held, now);
      items.put(
          candidate.key(),
          new WorkingItem(
              candidate.key(),
              candidate.kind(),
              candidate.text(),
              candidate.memoryId(),
              candidate.occurredAt(),
              score.total(),
              score,
              0,
              turn,
              turn,
              candidate.attributes()));
      added.add(candidate.key());
    }
    List<String> evicted = evict();
    added.removeAll(evicted);
    return new StmUpdate(
        turn, List.copyOf(added), List.copyOf(rehearsed), evicted, reinforce, snapshotItems());
  }

  /** The items, most active first. */
  public synchronized List<WorkingItem> items() {
    return snapshotItems();
  }

  /** How many items the set holds at most. */
  public int capacity() {
    return policy.capacity();
  }

  /** The number of turns seen. */
  public synchronized long turn() {
    return turn;
  }

  /** Replaces the whole state (restore from a snapshot). */
  public synchronized void restore(long restoredTurn, List<WorkingItem> restored) {
    items.clear();
    restored.forEach(item -> items.put(item.key(), item));
    turn = restoredTurn;
  }

  /** Forgets everything. */
  public synchronized void clear() {
    items.clear();
    turn = 0;
  }

  /** Activation-weighted term frequencies of the held items: the current topic. */
  private Map<String, Double> topic() {
    Map<String, Double> topic = new HashMap<>();
    for (WorkingItem item : items.values()) {
      Terms.frequencies(item.text())
          .forEach((term, count) -> topic.merge(term, count * item.activation(), Double::sum));
    }
    return topic;
  }

  private Set<String> heldTerms(Map<String, Set<String>> termsOf) {
    Set<String> held = new HashSet<>();
    items.values().forEach(item -> held.addAll(termsOf(item, termsOf)));
    return held;
  }

  private static Set<String> termsOf(WorkingItem item, Map<String, Set<String>> termsOf) {
    return termsOf.computeIfAbsent(item.key(), key -> Terms.of(item.text()));
  }

  private List<String> rehearsedBy(
      Candidate candidate, Set<String> terms, Map<String, Set<String>> termsOf) {
    List<String> hits = new ArrayList<>();
    for (WorkingItem item : items.values()) {
      if (item.key().equals(candidate.key())) {
        hits.add(item.key());
        continue;
      }
      Set<String> itemTerms = termsOf(item, termsOf);
      boolean duplicate = Terms.jaccard(terms, itemTerms) >= DUPLICATE_JACCARD;
      boolean mentioned =
          candidate.kind() == ItemKind.MESSAGE
              && Terms.containment(itemTerms, terms) >= policy.rehearsalOverlap();
      boolean sameMemory = item.memoryId() != null && item.memoryId().equals(candidate.memoryId());
      if (duplicate || mentioned || sameMemory) {
        hits.add(item.key());
      }
    }
    return hits;
  }

  private boolean isDuplicate(String key, Set<String> terms, Map<String, Set<String>> termsOf) {
    return Terms.jaccard(terms, termsOf(items.get(key), termsOf)) >= DUPLICATE_JACCARD;
  }

  private List<String> evict() {
    List<String> evicted = new ArrayList<>();
    items.values().stream()
        .filter(item -> item.activation() < policy.floor())
        .map(WorkingItem::key)
        .forEach(evicted::add);
    evicted.forEach(items::remove);
    while (items.size() > policy.capacity()) {
      WorkingItem weakest =
          items.values().stream()
              .min(
                  Comparator.comparingDouble(WorkingItem::activation)
                      .thenComparingLong(WorkingItem::lastRehearsedTurn))
              .orElseThrow();
      items.remove(weakest.key());
      evicted.add(weakest.key());
    }
    return List.copyOf(evicted);
  }

  private List<WorkingItem> snapshotItems() {
    return items.values().stream()
        .sorted(Comparator.comparingDouble(WorkingItem::activation).reversed())
        .toList();
  }
}
