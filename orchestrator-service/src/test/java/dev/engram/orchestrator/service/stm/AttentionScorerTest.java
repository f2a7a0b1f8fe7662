package dev.engram.orchestrator.service.stm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AttentionScorerTest {

  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private final AttentionScorer scorer =
      new AttentionScorer(0.35, 0.2, 0.25, 0.2, Duration.ofDays(1));

  @Test
  void totalIsTheNormalisedWeightedSumOfTheFourComponents() {
    AttentionScorer doubled = new AttentionScorer(0.7, 0.4, 0.5, 0.4, Duration.ofDays(1));
    Candidate c = Candidate.message(UUID.randomUUID(), "I love hiking in the Alps!", NOW);
    Map<String, Double> topic = Map.of("hiking", 2.0, "mountain", 1.0);

    AttentionScore a = scorer.score(c, topic, Set.of("hiking"), NOW);
    AttentionScore b = doubled.score(c, topic, Set.of("hiking"), NOW);

    double expected =
        0.35 * a.relevance() + 0.2 * a.novelty() + 0.25 * a.salience() + 0.2 * a.recency();
    assertThat(a.total()).isCloseTo(expected, within(1e-9));
    assertThat(b.total()).isCloseTo(a.total(), within(1e-9));
  }

  @Test
  void salienceAddsCueWeightsAndCapsAtOne() {
    assertThat(AttentionScorer.salience("the weather report")).isZero();
    assertThat(AttentionScorer.salience("what time is it?")).isCloseTo(0.15, within(1e-9));
    assertThat(AttentionScorer.salience("I prefer tea")).isCloseTo(0.3, within(1e-9));
    assertThat(AttentionScorer.salience("Important: my flight is at 9"))
        .isCloseTo(0.4 + 0.15, within(1e-9));
    assertThat(
            AttentionScorer.salience(
                "Remember! I love this, I'm worried about the deadline on the 3rd?"))
        .isEqualTo(1.0);
  }

  @Test
  void recencyHalvesEveryHalfLife() {
    assertThat(scorer.recency(NOW, NOW)).isEqualTo(1.0);
    assertThat(scorer.recency(NOW.minus(Duration.ofDays(1)), NOW)).isCloseTo(0.5, within(1e-9));
    assertThat(scorer.recency(NOW.minus(Duration.ofDays(3)), NOW)).isCloseTo(0.125, within(1e-9));
    assertThat(scorer.recency(null, NOW)).isEqualTo(1.0);
  }

  @Test
  void onTopicIsMoreRelevantThanOffTopic() {
    Map<String, Double> topic = Map.of("python", 1.0, "panda", 0.8, "dataframe", 0.5);
    AttentionScore on =
        scorer.score(
            Candidate.message(UUID.randomUUID(), "How do I merge a pandas dataframe?", NOW),
            topic,
            Set.of(),
            NOW);
    AttentionScore off =
        scorer.score(
            Candidate.message(UUID.randomUUID(), "Recommend a lasagne recipe", NOW),
            topic,
            Set.of(),
            NOW);
    assertThat(on.relevance()).isGreaterThan(0.5);
    assertThat(off.relevance()).isZero();
    assertThat(on.total()).isGreaterThan(off.total());
  }

  @Test
  void withoutATopicRelevanceIsNeutralAndAPriorIsBlendedIn() {
    Candidate message = Candidate.message(UUID.randomUUID(), "anything at all", NOW);
    assertThat(scorer.score(message, Map.of(), Set.of(), NOW).relevance()).isEqualTo(0.5);

    Candidate recalled = Candidate.memory(UUID.randomUUID(), "lasagne recipe", NOW, 0.9, Map.of());
    AttentionScore s = scorer.score(recalled, Map.of("python", 1.0), Set.of(), NOW);
    assertThat(s.relevance()).isCloseTo(0.45, within(1e-9));
  }

  @Test
  void noveltyIsTheShareOfTermsNotYetHeld() {
    Candidate c = Candidate.message(UUID.randomUUID(), "coffee beans grinder", NOW);
    assertThat(scorer.score(c, Map.of(), Set.of(), NOW).novelty()).isEqualTo(1.0);
    assertThat(scorer.score(c, Map.of(), Set.of("coffee", "bean"), NOW).novelty())
        .isCloseTo(1.0 / 3, within(1e-9));
    assertThat(scorer.score(c, Map.of(), Set.of("coffee", "bean", "grinder"), NOW).novelty())
        .isZero();
  }

  @Test
  void weightsMustBeUsable() {
    assertThatThrownBy(() -> new AttentionScorer(0, 0, 0, 0, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AttentionScorer(-1, 1, 1, 1, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
