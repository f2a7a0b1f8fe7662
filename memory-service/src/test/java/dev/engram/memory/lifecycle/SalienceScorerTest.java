package dev.engram.memory.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engram.memory.config.MemoryConfig;
import org.junit.jupiter.api.Test;

class SalienceScorerTest {

  /** Novelty alone counts (the other weights are 0). */
  static MemoryConfig.Salience noveltyOnly(double unrelated) {
    return new MemoryConfig.Salience() {
      public double novelty() {
        return 1;
      }

      public double unrelatedSimilarity() {
        return unrelated;
      }

      public double markers() {
        return 0;
      }

      public double emotion() {
        return 0;
      }

      public double importance() {
        return 0;
      }
    };
  }

  @Test
  void noveltyIsMeasuredOnTheModelsOwnScale() {
    SalienceScorer bge = new SalienceScorer(noveltyOnly(0.5));
    SalienceScorer minilm = new SalienceScorer(noveltyOnly(0));

    assertThat(bge.score("hello", null, 0, null)).isEqualTo(1);
    assertThat(bge.score("hello", 1.0, 0, null)).isZero();
    assertThat(bge.score("hello", 0.5, 0, null)).as("unrelated").isEqualTo(1);
    assertThat(bge.score("hello", 0.3, 0, null)).as("below unrelated").isEqualTo(1);
    // the medians of the nearest-turn similarity on LoCoMo (0.86 bge, 0.72 all-MiniLM) give
    // about the same novelty
    assertThat(bge.score("hello", 0.86, 0, null)).isCloseTo(0.28, within(1e-9));
    assertThat(minilm.score("hello", 0.72, 0, null)).isCloseTo(0.28, within(1e-9));
  }
}
