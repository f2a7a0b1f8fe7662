package dev.engram.memory.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserVectorsTest {

  static final int DIM = 384;
  static final int MODEL = VectorCodec.modelTag("bge-small-en-v15-q");
  final Random random = new Random(42);

  float[] randomUnit() {
    float[] v = new float[DIM];
    double norm = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  List<VectorEntry> entries(int n) {
    List<VectorEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new VectorEntry(
              UUID.randomUUID(),
              i % 2 == 0 ? MemoryType.EPISODIC : MemoryType.SEMANTIC,
              MemoryState.ACTIVE,
              Instant.ofEpochSecond(1_700_000_000L + i),
              null,
              randomUnit()));
    }
    return out;
  }

  @Test
  void findsTheExactNearestNeighboursLikeABruteForceScan() {
    List<VectorEntry> entries = entries(3000);
    UserVectors vectors = new UserVectors(DIM, 0, 1);
    vectors.put(entries);
    float[] query = randomUnit();
    List<ScoredId> hits = vectors.search(query, 10, VectorFilter.live(), Runnable::run, 1000);
    List<UUID> expected =
        entries.stream()
            .sorted(
                (a, b) ->
                    Float.compare(
                        VectorMath.dot(query, b.vector()), VectorMath.dot(query, a.vector())))
            .limit(10)
            .map(VectorEntry::id)
            .toList();
    assertThat(hits).extracting(ScoredId::id).containsExactlyElementsOf(expected);
  }

  @Test
  void filtersByTypeAndStateAndRemovesRows() {
    List<VectorEntry> entries = entries(100);
    UserVectors vectors = new UserVectors(DIM, 0, 1);
    vectors.put(entries);
    VectorFilter semantic =
        new VectorFilter(
            VectorFilter.typeMask(Set.of(MemoryType.SEMANTIC)),
            VectorFilter.stateMask(Set.of(MemoryState.ACTIVE)),
            null,
            Long.MIN_VALUE,
            Long.MAX_VALUE);
    assertThat(vectors.search(entries.get(1).vector(), 100, semantic, null, 1_000_000)).hasSize(50);
    vectors.state(entries.get(1).id(), MemoryState.ARCHIVED);
    vectors.remove(List.of(entries.get(3).id()));
    List<ScoredId> hits = vectors.search(entries.get(1).vector(), 100, semantic, null, 1_000_000);
    assertThat(hits).hasSize(48).extracting(ScoredId::id).doesNotContain(entries.get(1).id());
  }

  @Test
  void survivesTheRedisEncoding() {
    UserVectors vectors = new UserVectors(DIM, 0, 7);
    List<VectorEntry> entries = entries(50);
    vectors.put(entries);
    UserVectors decoded = VectorCodec.decode(vectors.encode(MODEL), DIM, MODEL);
    assertThat(decoded.version()).isEqualTo(7);
    assertThat(decoded.size()).isEqualTo(50);
    float[] query = entries.get(5).vector();
    assertThat(decoded.search(query, 3, VectorFilter.live(), null, 1_000_000))
        .isEqualTo(vectors.search(query, 3, VectorFilter.live(), null, 1_000_000));
    assertThat(VectorCodec.decode(new byte[] {1, 2, 3}, DIM, MODEL)).isNull();
    assertThat(
            VectorCodec.decode(
                vectors.encode(VectorCodec.modelTag("all-minilm-l6-v2-q")), DIM, MODEL))
        .as("a blob cached before the model changed is not this model's vectors")
        .isNull();
  }

  @Test
  void aVersionReadOverlappingItsOwnServicesBumpIsInconclusive() {
    UserVectors vectors = new UserVectors(DIM, 0, 7);

    long quiet = vectors.bumpMark();
    assertThat(vectors.conclusive(quiet))
        .as("no bump of this service since the mark: a differing version means a missed change")
        .isTrue();

    long beforeBump = vectors.bumpMark();
    vectors.bumpStarted(); // the reinforcement's INCR may reach Redis before the read...
    assertThat(vectors.conclusive(beforeBump)).isFalse();
    long duringBump = vectors.bumpMark();
    vectors.bumpEnded(); // ...and its outcome reach this entry after the read's answer
    assertThat(vectors.conclusive(duringBump))
        .as("a read started while a bump was under way")
        .isFalse();
    assertThat(vectors.conclusive(beforeBump))
        .as("a bump that started and ended during the read")
        .isFalse();

    long after = vectors.bumpMark();
    assertThat(vectors.conclusive(after)).isTrue();
  }

  @Test
  void anInconclusiveConfirmationIsRepeatedOnTheNextRead() {
    UserVectors vectors = new UserVectors(DIM, 0, 7);
    vectors.confirmed();
    long confirmed = vectors.confirmedAtNanos();
    assertThat(System.nanoTime() - confirmed).isLessThan(Duration.ofMinutes(1).toNanos());
    vectors.unconfirmed();
    assertThat(System.nanoTime() - vectors.confirmedAtNanos())
        .as("older than any l1-recheck interval, so the next search confirms again")
        .isGreaterThan(Duration.ofHours(1).toNanos());
  }

  @Test
  void ownBumpsWhoseRepliesCameBackOutOfOrderMoveTheVersionThroughBoth() {
    UserVectors vectors = new UserVectors(DIM, 0, 5);

    // the reply of this replica's second bump (version 7) is taken in before the first one's (6)
    assertThat(vectors.ownBump(7)).isFalse();
    assertThat(vectors.version()).as("6 is not known to be this replica's yet").isEqualTo(5);
    assertThat(vectors.ownBump(6)).isTrue();

    assertThat(vectors.version()).isEqualTo(7);
    assertThat(vectors.ownAhead()).isZero();
    assertThat(vectors.ownBump(7)).as("taken in already").isFalse();
  }

  @Test
  void anOwnVersionAheadWaitsForAnotherReplicasChangeBetween() {
    UserVectors vectors = new UserVectors(DIM, 0, 5);
    assertThat(vectors.ownBump(7)).isFalse();

    // version 6 was another replica's (a rows-only change: its message moves the entry on)
    vectors.version(6);

    assertThat(vectors.version()).isEqualTo(7);
    assertThat(vectors.ownAhead()).isZero();
  }

  @Test
  void aRowsAnnouncementOfAnotherReplicaMovesTheEntryOnThroughOwnVersionsAhead() {
    UserVectors vectors = new UserVectors(DIM, 0, 10);
    // 11 is another replica's change, not heard of yet: the entry must not skip it
    assertThat(vectors.ownBump(12)).isFalse();
    assertThat(vectors.version()).isEqualTo(10);
    // its rows-only announcement arrives: the entry moves on through 11 and its own 12
    assertThat(vectors.rowsAnnounced(11)).isTrue();
    assertThat(vectors.version()).isEqualTo(12);
    assertThat(vectors.rowsAnnounced(12)).as("taken in already").isTrue();
    // an announcement past a gap cannot be taken in: the entry must be dropped
    assertThat(vectors.rowsAnnounced(14)).isFalse();
    assertThat(vectors.version()).isEqualTo(12);
  }
}
