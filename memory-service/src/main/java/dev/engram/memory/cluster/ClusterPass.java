package dev.engram.memory.cluster;

import dev.engram.events.ClusterChange;
import dev.engram.memory.index.VectorMath;
import dev.engram.memory.model.Cluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The periodic pass over one user's clusters: merges clusters whose centroids converged (similarity
 * at least {@code mergeThreshold}; the smaller joins the larger), splits clusters that grew too
 * dispersed (bisected with spherical 2-means, the two halves' centroids are less similar than
 * {@code splitThreshold}: the cluster holds two topics), then recomputes every centroid from its
 * members, relabels (top terms) and updates stability: {@code stability' = (stability + (1 - min(1,
 * changes / size))) / 2}.
 */
public final class ClusterPass {

  /** One member: a memory with its vector and text. */
  public record Member(UUID id, UUID clusterId, float[] vector, String text) {}

  /** A change to announce. */
  public record Change(UUID clusterId, ClusterChange change, List<UUID> related) {}

  /** What the pass decided. */
  public record Result(
      List<Cluster> clusters, List<UUID> removed, Map<UUID, UUID> moved, List<Change> changes) {}

  private final double mergeThreshold;
  private final double splitThreshold;
  private final int minSplitSize;
  private final int labelTerms;

  public ClusterPass(
      double mergeThreshold, double splitThreshold, int minSplitSize, int labelTerms) {
    this.mergeThreshold = mergeThreshold;
    this.splitThreshold = splitThreshold;
    this.minSplitSize = minSplitSize;
    this.labelTerms = labelTerms;
  }

  public Result run(String userId, List<Cluster> clusters, List<Member> members, Instant now) {
    Map<UUID, Cluster> byId = new LinkedHashMap<>();
    clusters.forEach(c -> byId.put(c.id(), c));
    Map<UUID, List<Member>> groups = new HashMap<>();
    for (Member m : members) {
      if (byId.containsKey(m.clusterId())) {
        groups.computeIfAbsent(m.clusterId(), id -> new ArrayList<>()).add(m);
      }
    }
    Map<UUID, Integer> changed = new HashMap<>();
    byId.values().forEach(c -> changed.put(c.id(), c.changes()));
    Map<UUID, UUID> moved = new HashMap<>();
    List<UUID> removed = new ArrayList<>();
    List<Change> changes = new ArrayList<>();

    merge(byId, groups, changed, moved, removed, changes);
    split(userId, byId, groups, changed, moved, changes, now);

    List<Cluster> out = new ArrayList<>();
    for (Cluster c : byId.values()) {
      List<Member> group = groups.getOrDefault(c.id(), List.of());
      if (group.isEmpty()) {
        removed.add(c.id());
        changes.add(new Change(c.id(), ClusterChange.REMOVED, List.of()));
        continue;
      }
      float[] centroid = ClusterMath.centroid(group.stream().map(Member::vector).toList(), null);
      int size = group.size();
      double churn = Math.min(1, changed.getOrDefault(c.id(), 0) / (double) size);
      double stability = (c.stability() + (1 - churn)) / 2;
      String label = TopTerms.label(group.stream().map(Member::text).toList(), labelTerms);
      out.add(new Cluster(c.id(), userId, centroid, size, label, stability, 0, c.createdAt(), now));
    }
    return new Result(out, removed, moved, changes);
  }

  private void merge(
      Map<UUID, Cluster> byId,
      Map<UUID, List<Member>> groups,
      Map<UUID, Integer> changed,
      Map<UUID, UUID> moved,
      List<UUID> removed,
      List<Change> changes) {
    boolean merged = true;
    while (merged) {
      merged = false;
      List<Cluster> list = new ArrayList<>(byId.values());
      outer:
      for (int i = 0; i < list.size(); i++) {
        for (int j = i + 1; j < list.size(); j++) {
          Cluster a = list.get(i);
          Cluster b = list.get(j);
          if (VectorMath.dot(a.centroid(), b.centroid()) < mergeThreshold) {
            continue;
          }
          Cluster keep = a.size() >= b.size() ? a : b;
          Cluster absorb = keep == a ? b : a;
          List<Member> absorbed = groups.remove(absorb.id());
          List<Member> into = groups.computeIfAbsent(keep.id(), id -> new ArrayList<>());
          if (absorbed != null) {
            for (Member m : absorbed) {
              into.add(new Member(m.id(), keep.id(), m.vector(), m.text()));
              moved.put(m.id(), keep.id());
            }
          }
          float[] centroid =
              ClusterMath.centroid(
                  List.of(keep.centroid(), absorb.centroid()),
                  new int[] {Math.max(1, keep.size()), Math.max(1, absorb.size())});
          byId.put(
              keep.id(),
              new Cluster(
                  keep.id(),
                  keep.userId(),
                  centroid,
                  keep.size() + absorb.size(),
                  keep.label(),
                  keep.stability(),
                  keep.changes(),
                  keep.createdAt(),
                  keep.updatedAt()));
          byId.remove(absorb.id());
          changed.merge(keep.id(), absorb.size(), Integer::sum);
          removed.add(absorb.id());
          changes.add(new Change(keep.id(), ClusterChange.MERGED, List.of(absorb.id())));
          changes.add(new Change(absorb.id(), ClusterChange.REMOVED, List.of(keep.id())));
          merged = true;
          break outer;
        }
      }
    }
  }

  private void split(
      String userId,
      Map<UUID, Cluster> byId,
      Map<UUID, List<Member>> groups,
      Map<UUID, Integer> changed,
      Map<UUID, UUID> moved,
      List<Change> changes,
      Instant now) {
    for (Cluster c : List.copyOf(byId.values())) {
      List<Member> group = groups.getOrDefault(c.id(), List.of());
      if (group.size() < minSplitSize) {
        continue;
      }
      List<float[]> vectors = group.stream().map(Member::vector).toList();
      int[] side = ClusterMath.split(vectors, ClusterMath.centroid(vectors, null));
      if (ClusterMath.halvesSimilarity(vectors, side) >= splitThreshold) {
        continue;
      }
      List<Member> stay = new ArrayList<>();
      List<Member> leave = new ArrayList<>();
      UUID newId = UUID.randomUUID();
      for (int i = 0; i < group.size(); i++) {
        Member m = group.get(i);
        if (side[i] == 0) {
          stay.add(m);
        } else {
          leave.add(new Member(m.id(), newId, m.vector(), m.text()));
          moved.put(m.id(), newId);
        }
      }
      if (stay.isEmpty() || leave.isEmpty()) {
        continue;
      }
      groups.put(c.id(), stay);
      groups.put(newId, leave);
      byId.put(
          newId,
          new Cluster(
              newId,
              userId,
              ClusterMath.centroid(leave.stream().map(Member::vector).toList(), null),
              leave.size(),
              "",
              c.stability(),
              leave.size(),
              now,
              now));
      changed.merge(c.id(), leave.size(), Integer::sum);
      changed.put(newId, leave.size());
      changes.add(new Change(c.id(), ClusterChange.SPLIT, List.of(newId)));
      changes.add(new Change(newId, ClusterChange.CREATED, List.of(c.id())));
    }
  }
}
