package dev.engram.memory.model;

import java.time.Instant;
import java.util.UUID;

/** A cluster of one user's similar memories; the centroid is L2-normalised. */
public record Cluster(
    UUID id,
    String userId,
    float[] centroid,
    int size,
    String label,
    double stability,
    int changes,
    Instant createdAt,
    Instant updatedAt) {

  public Cluster withMember(float[] newCentroid, Instant at) {
    return new Cluster(
        id, userId, newCentroid, size + 1, label, stability, changes + 1, createdAt, at);
  }
}
