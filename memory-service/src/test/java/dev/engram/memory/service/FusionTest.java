package dev.engram.memory.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engram.memory.index.ScoredId;
import dev.engram.memory.index.UserVectors;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The fusion of the dense and lexical lists and the neighbour rule, on hand-written lists. */
class FusionTest {

  final UUID a = UUID.randomUUID();
  final UUID b = UUID.randomUUID();
  final UUID c = UUID.randomUUID();
  final UUID d = UUID.randomUUID();

  static Fusion.Settings settings(Fusion.Method method, double denseWeight, double neighbour) {
    return new Fusion.Settings(method, denseWeight, 20, neighbour, UserVectors.Bm25.STANDARD);
  }

  static ScoredId hit(UUID id, double score) {
    return new ScoredId(id, (float) score);
  }

  @Test
  void reciprocalRanksAreOneForFirstInBothLists() {
    Map<UUID, Fusion.Fused> fused =
        Fusion.fuse(
            List.of(hit(a, 0.9), hit(b, 0.8)),
            List.of(hit(a, 7.0), hit(c, 3.0)),
            settings(Fusion.Method.RRF, 0.25, 0));

    assertThat(fused.get(a).relevance).isCloseTo(1.0, within(1e-9));
    // b: second of the dense list only, 0.25/22 against 1/21 for first in both
    assertThat(fused.get(b).relevance).isCloseTo(0.25 / 22 * 21, within(1e-9));
    assertThat(fused.get(c).relevance).isCloseTo(0.75 / 22 * 21, within(1e-9));
    assertThat(fused.get(c).lexical).isEqualTo(3.0);
    assertThat(fused.get(c).dense).isNull();
  }

  @Test
  void scoreFusionKeepsHowFarAheadAHitIs() {
    // dense 0.9 / 0.88 / 0.5 min-max → 1, 0.95, 0; lexical 8 / 2 / 1 over the best → 1, 1/4, 1/8
    Map<UUID, Fusion.Fused> fused =
        Fusion.fuse(
            List.of(hit(a, 0.9), hit(b, 0.88), hit(c, 0.5)),
            List.of(hit(c, 8), hit(d, 2), hit(a, 1)),
            settings(Fusion.Method.SCORE, 0.4, 0));

    assertThat(fused.get(a).relevance).isCloseTo(0.4 + 0.6 / 8, within(1e-6));
    assertThat(fused.get(b).relevance).isCloseTo(0.4 * 0.95, within(1e-6));
    assertThat(fused.get(c).relevance).isCloseTo(0.6, within(1e-6));
    assertThat(fused.get(d).relevance).isCloseTo(0.6 / 4, within(1e-6));
  }

  @Test
  void aSingleCandidateOfAListCountsInFull() {
    Map<UUID, Fusion.Fused> fused =
        Fusion.fuse(List.of(hit(a, 0.3)), List.of(), settings(Fusion.Method.SCORE, 0.4, 0));

    assertThat(fused.get(a).relevance).isCloseTo(0.4, within(1e-6));
  }

  @Test
  void aNeighbourOfAStrongHitJoinsTheCandidatesAndRises() {
    Map<UUID, Fusion.Fused> fused =
        Fusion.fuse(
            List.of(hit(a, 0.9), hit(b, 0.6), hit(c, 0.5)),
            List.of(),
            settings(Fusion.Method.SCORE, 1, 0.5));
    // relevance a 1, b 0.25, c 0; d is next to a and in neither list, b is alone in its session
    Map<UUID, UUID[]> around =
        Map.of(a, new UUID[] {null, d}, b, new UUID[] {null, null}, c, new UUID[] {null, null});

    List<Fusion.Fused> top = Fusion.top(fused, 3, 0.5, ids -> around);

    assertThat(top).extracting(f -> f.id).containsExactly(a, d, b);
    // a: (1 + 0.5·0)/1.5; d: (0 + 0.5·1)/1.5; b: 0.25/1.5
    assertThat(top.get(0).relevance).isCloseTo(1 / 1.5, within(1e-6));
    assertThat(top.get(1).relevance).isCloseTo(0.5 / 1.5, within(1e-6));
    assertThat(top.get(2).relevance).isCloseTo(0.25 / 1.5, within(1e-6));
  }

  @Test
  void withoutNeighbourWeightTheConversationIsNotLookedUp() {
    Map<UUID, Fusion.Fused> fused =
        Fusion.fuse(
            List.of(hit(a, 0.9), hit(b, 0.6)), List.of(), settings(Fusion.Method.RRF, 1, 0));

    List<Fusion.Fused> top =
        Fusion.top(
            fused,
            1,
            0,
            ids -> {
              throw new AssertionError("looked up");
            });

    assertThat(top).extracting(f -> f.id).containsExactly(a);
  }
}
