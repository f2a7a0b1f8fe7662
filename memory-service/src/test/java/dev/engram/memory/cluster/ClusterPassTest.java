package dev.engram.memory.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.events.ClusterChange;
import dev.engram.memory.model.Cluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterPassTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  final ClusterPass pass = new ClusterPass(0.8, 0.5, 4, 2);

  static float[] axis(int i, float noise, int j) {
    float[] v = new float[8];
    v[i] = 1;
    v[j] = noise;
    return ClusterMath.normalize(v);
  }

  static Cluster cluster(UUID id, float[] centroid, int size) {
    return new Cluster(id, "u", centroid, size, "", 1, 0, NOW, NOW);
  }

  @Test
  void mergesConvergedClustersIntoTheLarger() {
    UUID big = UUID.randomUUID();
    UUID small = UUID.randomUUID();
    List<ClusterPass.Member> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members.add(new ClusterPass.Member(UUID.randomUUID(), big, axis(0, 0.1f, 5), "apple pie"));
    }
    UUID moved = UUID.randomUUID();
    members.add(new ClusterPass.Member(moved, small, axis(0, 0.2f, 6), "apple tart"));
    var result =
        pass.run(
            "u",
            List.of(cluster(big, axis(0, 0.1f, 5), 3), cluster(small, axis(0, 0.2f, 6), 1)),
            members,
            NOW);
    assertThat(result.clusters())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo(big);
              assertThat(c.size()).isEqualTo(4);
              assertThat(c.label()).startsWith("apple");
            });
    assertThat(result.moved()).containsEntry(moved, big);
    assertThat(result.removed()).containsExactly(small);
    assertThat(result.changes())
        .extracting(ClusterPass.Change::change)
        .containsExactly(ClusterChange.MERGED, ClusterChange.REMOVED);
  }

  @Test
  void splitsADispersedClusterInTwo() {
    UUID id = UUID.randomUUID();
    List<ClusterPass.Member> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members.add(new ClusterPass.Member(UUID.randomUUID(), id, axis(1, 0.1f * i, 5), "cats"));
      members.add(new ClusterPass.Member(UUID.randomUUID(), id, axis(2, 0.1f * i, 6), "tax"));
    }
    var result = pass.run("u", List.of(cluster(id, axis(1, 1, 2), 6)), members, NOW);
    assertThat(result.clusters()).hasSize(2).allSatisfy(c -> assertThat(c.size()).isEqualTo(3));
    assertThat(result.clusters())
        .extracting(Cluster::label)
        .containsExactlyInAnyOrder("cats", "tax");
    assertThat(result.changes())
        .extracting(ClusterPass.Change::change)
        .containsExactly(ClusterChange.SPLIT, ClusterChange.CREATED);
    assertThat(result.clusters()).allSatisfy(c -> assertThat(c.stability()).isLessThan(1));
  }

  @Test
  void leavesATightClusterAlone() {
    UUID id = UUID.randomUUID();
    List<ClusterPass.Member> members = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      members.add(
          new ClusterPass.Member(UUID.randomUUID(), id, axis(3, 0.05f * i, 4), "rust code"));
    }
    var result = pass.run("u", List.of(cluster(id, axis(3, 0, 4), 5)), members, NOW);
    assertThat(result.changes()).isEmpty();
    assertThat(result.clusters())
        .singleElement()
        .satisfies(c -> assertThat(c.stability()).isEqualTo(1.0));
  }
}
