package dev.engram.memory.cluster;

import dev.engram.memory.index.VectorMath;
import dev.engram.memory.model.Cluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Places new memories of one user: each joins the nearest cluster whose centroid is at least {@code
 * joinThreshold} similar (moving the centroid), or founds a new cluster. Remembers which clusters
 * it created or grew, for storage and events.
 */
public final class ClusterAssigner {

  private final Map<UUID, Cluster> clusters = new LinkedHashMap<>();
  private final Set<UUID> created = new LinkedHashSet<>();
  private final Set<UUID> grown = new LinkedHashSet<>();
  private final double joinThreshold;

  public ClusterAssigner(List<Cluster> existing, double joinThreshold) {
    existing.forEach(c -> clusters.put(c.id(), c));
    this.joinThreshold = joinThreshold;
  }

  /** The cluster the memory joins (or founds). */
  public UUID assign(String userId, float[] vector, String text, Instant at) {
    Cluster best = null;
    float bestScore = -2;
    for (Cluster cluster : clusters.values()) {
      float score = VectorMath.dot(vector, cluster.centroid());
      if (score > bestScore) {
        bestScore = score;
        best = cluster;
      }
    }
    if (best != null && bestScore >= joinThreshold) {
      Cluster updated =
          best.withMember(ClusterMath.addToCentroid(best.centroid(), best.size(), vector), at);
      clusters.put(best.id(), updated);
      if (!created.contains(best.id())) {
        grown.add(best.id());
      }
      return best.id();
    }
    UUID id = UUID.randomUUID();
    clusters.put(
        id,
        new Cluster(id, userId, vector.clone(), 1, TopTerms.label(List.of(text), 3), 1, 1, at, at));
    created.add(id);
    return id;
  }

  /** Clusters created by this assigner. */
  public List<Cluster> created() {
    return created.stream().map(clusters::get).toList();
  }

  /** Existing clusters that grew. */
  public List<Cluster> grown() {
    return grown.stream().map(clusters::get).toList();
  }

  /** Every cluster created or grown, to store. */
  public List<Cluster> changed() {
    List<Cluster> out = new ArrayList<>(created());
    out.addAll(grown());
    return out;
  }
}
