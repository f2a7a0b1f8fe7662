package dev.engram.memory.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.engram.events.FactCategory;
import dev.engram.memory.model.Fact;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RuleBasedFactExtractorTest {

  final RuleBasedFactExtractor extractor = new RuleBasedFactExtractor();

  @Test
  void findsFirstPersonStatements() {
    List<ExtractedFact> facts =
        extractor.extract(
            "Hi! My name is Dana Scully. I live in Washington and I work at the FBI. "
                + "I really love sunflower seeds, but I hate flying. My sister's name is Melissa. "
                + "My favorite color is blue. I'm allergic to penicillin.",
            "user");
    assertThat(facts)
        .extracting(ExtractedFact::predicate, ExtractedFact::object, ExtractedFact::category)
        .contains(
            tuple("name_is", "Dana Scully", FactCategory.KNOWLEDGE),
            tuple("lives_in", "Washington", FactCategory.CONTEXT),
            tuple("works_at", "the FBI", FactCategory.CONTEXT),
            tuple("likes", "sunflower seeds", FactCategory.PREFERENCE),
            tuple("dislikes", "flying", FactCategory.PREFERENCE),
            tuple("has_sister_named", "Melissa", FactCategory.KNOWLEDGE),
            tuple("favorite_color_is", "blue", FactCategory.PREFERENCE),
            tuple("is_allergic_to", "penicillin", FactCategory.KNOWLEDGE));
  }

  @Test
  void ignoresWhatTheAssistantSaysAboutItself() {
    assertThat(extractor.extract("I love helping with code.", "assistant")).isEmpty();
  }

  @Test
  void hedgedStatementsAreLessCertain() {
    double plain = extractor.extract("I live in Oslo.", "user").get(0).confidence();
    double hedged = extractor.extract("I think I live in Oslo now.", "user").get(0).confidence();
    assertThat(hedged).isLessThan(plain);
  }

  @Test
  void aNewerContradictingFactSupersedesTheOlderOne() {
    Fact berlin = fact("lives_in", "Berlin", "lives_in");
    Fact jazz = fact("likes", "jazz", "preference:jazz");
    ExtractedFact lisbon = extractor.extract("I moved to Lisbon.", "user").get(0);
    assertThat(FactMerger.decide(lisbon, List.of(berlin, jazz)))
        .isEqualTo(new FactMerger.Supersede(List.of(berlin)));
    ExtractedFact noJazz = extractor.extract("I don't like jazz anymore.", "user").get(0);
    assertThat(noJazz.predicate()).isEqualTo("dislikes");
    assertThat(FactMerger.decide(noJazz, List.of(berlin, jazz)))
        .isEqualTo(new FactMerger.Supersede(List.of(jazz)));
  }

  @Test
  void aRepeatedFactIsConfirmedWithHigherConfidence() {
    Fact jazz = fact("likes", "jazz", "preference:jazz");
    ExtractedFact again = extractor.extract("I love jazz.", "user").get(0);
    var decision = FactMerger.decide(again, List.of(jazz));
    assertThat(decision).isInstanceOf(FactMerger.Confirm.class);
    assertThat(((FactMerger.Confirm) decision).confidence()).isGreaterThan(jazz.confidence());
  }

  @Test
  void findsProcedures() {
    var procedure =
        new ProcedureExtractor()
            .extract(
                "Here is how to reset the router:\n1. Unplug it\n2. Wait ten seconds\n3. Plug it back in")
            .orElseThrow();
    assertThat(procedure.task()).isEqualTo("reset the router");
    assertThat(procedure.steps())
        .containsExactly("Unplug it", "Wait ten seconds", "Plug it back in");
  }

  static Fact fact(String predicate, String object, String slot) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new Fact(
        UUID.randomUUID(),
        "u",
        null,
        FactCategory.CONTEXT,
        "user",
        predicate,
        object,
        slot,
        0.8,
        1,
        null,
        t,
        null,
        null,
        t,
        t);
  }
}
