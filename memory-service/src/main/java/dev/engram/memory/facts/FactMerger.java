package dev.engram.memory.facts;

import dev.engram.memory.model.Fact;
import java.util.List;

/**
 * Decides what a newly extracted fact does to the user's current facts: confirm an equal fact
 * (duplicates merge, raising its confidence), or close the facts it contradicts (same subject and
 * slot, different predicate or object) and start a new one.
 */
public final class FactMerger {

  /** The outcome for one extracted fact. */
  public sealed interface Decision {}

  /** The fact is already known: confirm it. */
  public record Confirm(Fact existing, double confidence) implements Decision {}

  /** A new fact, closing the contradicted ones (possibly none). */
  public record Supersede(List<Fact> contradicted) implements Decision {}

  private FactMerger() {}

  public static Decision decide(ExtractedFact fact, List<Fact> current) {
    String object = fact.normalizedObject();
    for (Fact existing : current) {
      if (existing.subject().equalsIgnoreCase(fact.subject())
          && existing.predicate().equals(fact.predicate())
          && ExtractedFact.normalize(existing.object()).equals(object)) {
        return new Confirm(existing, combine(existing.confidence(), fact.confidence()));
      }
    }
    if (fact.slot() == null) {
      return new Supersede(List.of());
    }
    List<Fact> contradicted =
        current.stream()
            .filter(f -> f.subject().equalsIgnoreCase(fact.subject()))
            .filter(f -> fact.slot().equals(f.slot()))
            .toList();
    return new Supersede(contradicted);
  }

  /** Independent confirmations: 1 - (1 - a)(1 - b). */
  static double combine(double a, double b) {
    return 1 - (1 - a) * (1 - b);
  }
}
