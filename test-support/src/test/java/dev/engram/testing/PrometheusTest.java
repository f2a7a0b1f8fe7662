package dev.engram.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTest {

  static final String EXPOSITION =
      """
      # TYPE engram_memory_recall_stage_seconds summary
      engram_memory_recall_stage_seconds_count{stage="total"} 2.0 # {span_id="b2b6aeaf858a692e",trace_id="f4b3ff4b10017f89a47e96433690eb9e"} 1.0 1796404131.378
      engram_memory_recall_stage_seconds_count{stage="embed"} 3.0
      engram_memory_recall_stage_seconds_count_extra{stage="total"} 100.0
      engram_pool_size 4
      """;

  @Test
  void readsASampleThatCarriesAnExemplar() {
    assertThat(
            Prometheus.sum(
                EXPOSITION, "engram_memory_recall_stage_seconds_count", "stage=\"total\""))
        .isEqualTo(2.0);
  }

  @Test
  void sumsEverySampleOfTheSeriesWhenNoLabelIsGiven() {
    assertThat(Prometheus.sum(EXPOSITION, "engram_memory_recall_stage_seconds_count", ""))
        .isEqualTo(5.0);
    assertThat(Prometheus.sum(EXPOSITION, "engram_pool_size", "")).isEqualTo(4.0);
  }

  @Test
  void answersZeroForASeriesThatIsAbsent() {
    assertThat(Prometheus.sum(EXPOSITION, "engram_absent_total", "")).isZero();
  }
}
