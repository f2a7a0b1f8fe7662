package dev.engram.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code cluster.changed}: a memory cluster was created, grew, merged, split or removed.
 *
 * @param label the cluster's top terms
 * @param stability 0..1, how little the cluster's membership moved recently
 * @param relatedClusterIds for MERGED the clusters absorbed, for SPLIT the new clusters
 */
public record ClusterChanged(
    UUID clusterId,
    ClusterChange change,
    String label,
    int size,
    double stability,
    List<UUID> relatedClusterIds,
    Instant changedAt)
    implements EventData {

  public ClusterChanged {
    relatedClusterIds = relatedClusterIds == null ? List.of() : List.copyOf(relatedClusterIds);
  }
}
