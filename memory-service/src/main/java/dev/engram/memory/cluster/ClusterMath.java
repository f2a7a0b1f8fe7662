package dev.engram.memory.cluster;

import dev.engram.memory.index.VectorMath;
import java.util.List;

/** Vector arithmetic of clusters: running means, centroids, dispersion, two-way splits. */
public final class ClusterMath {

  private ClusterMath() {}

  /** The normalised centroid after adding {@code vector} to a cluster of {@code size} members. */
  public static float[] addToCentroid(float[] centroid, int size, float[] vector) {
    float[] out = new float[centroid.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = centroid[i] * size + vector[i];
    }
    return normalize(out);
  }

  /** The normalised mean of vectors (weighted by {@code weights} when given). */
  public static float[] centroid(List<float[]> vectors, int[] weights) {
    float[] out = new float[vectors.get(0).length];
    for (int v = 0; v < vectors.size(); v++) {
      float w = weights == null ? 1 : weights[v];
      float[] vector = vectors.get(v);
      for (int i = 0; i < out.length; i++) {
        out[i] += vector[i] * w;
      }
    }
    return normalize(out);
  }

  /** Mean cosine similarity of members to their centroid: 1 tight .. 0 dispersed. */
  public static double cohesion(List<float[]> members, float[] centroid) {
    double sum = 0;
    for (float[] member : members) {
      sum += VectorMath.dot(member, centroid);
    }
    return members.isEmpty() ? 1 : sum / members.size();
  }

  /**
   * Splits members in two with spherical 2-means, seeded by the member farthest from the centroid
   * and the member farthest from that one. Returns the side (0 or 1) of each member.
   */
  public static int[] split(List<float[]> members, float[] centroid) {
    int n = members.size();
    int a = farthest(members, centroid);
    int b = farthest(members, members.get(a));
    float[] ca = members.get(a);
    float[] cb = members.get(b);
    int[] side = new int[n];
    for (int iteration = 0; iteration < 10; iteration++) {
      boolean moved = false;
      for (int i = 0; i < n; i++) {
        int s = VectorMath.dot(members.get(i), ca) >= VectorMath.dot(members.get(i), cb) ? 0 : 1;
        moved |= s != side[i] || iteration == 0;
        side[i] = s;
      }
      ca = centroidOf(members, side, 0, ca);
      cb = centroidOf(members, side, 1, cb);
      if (!moved) {
        break;
      }
    }
    return side;
  }

  /** Cosine similarity of the centroids of the two sides of a split (1 if a side is empty). */
  public static double halvesSimilarity(List<float[]> members, int[] side) {
    float[] a = centroidOf(members, side, 0, null);
    float[] b = centroidOf(members, side, 1, null);
    return a == null || b == null ? 1 : VectorMath.dot(a, b);
  }

  private static float[] centroidOf(
      List<float[]> members, int[] side, int which, float[] fallback) {
    float[] out = new float[members.get(0).length];
    int count = 0;
    for (int i = 0; i < members.size(); i++) {
      if (side[i] == which) {
        float[] m = members.get(i);
        for (int d = 0; d < out.length; d++) {
          out[d] += m[d];
        }
        count++;
      }
    }
    return count == 0 ? fallback : normalize(out);
  }

  private static int farthest(List<float[]> members, float[] from) {
    int best = 0;
    float lowest = Float.MAX_VALUE;
    for (int i = 0; i < members.size(); i++) {
      float similarity = VectorMath.dot(members.get(i), from);
      if (similarity < lowest) {
        lowest = similarity;
        best = i;
      }
    }
    return best;
  }

  public static float[] normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      return v;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= scale;
    }
    return v;
  }
}
