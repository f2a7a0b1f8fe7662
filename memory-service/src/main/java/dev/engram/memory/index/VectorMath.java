package dev.engram.memory.index;

import org.jboss.logging.Logger;

/**
 * Dot products over a flat matrix of vectors: with SIMD through the JDK Vector API when the JVM was
 * started with {@code --add-modules jdk.incubator.vector}, else with a plain loop.
 */
public final class VectorMath {

  private static final Logger LOG = Logger.getLogger(VectorMath.class);
  private static final boolean SIMD = simdAvailable();

  private VectorMath() {}

  private static boolean simdAvailable() {
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    if (!present) {
      LOG.info(
          "jdk.incubator.vector is not enabled: vectors are scanned without SIMD"
              + " (start the JVM with --add-modules jdk.incubator.vector)");
    }
    return present;
  }

  /** Whether scans use the Vector API. */
  public static boolean simd() {
    return SIMD;
  }

  /** The dot product of {@code query} with row {@code row} of {@code matrix}. */
  public static float dot(float[] query, float[] matrix, int row) {
    int dim = query.length;
    int offset = row * dim;
    if (SIMD) {
      return SimdDot.dot(query, matrix, offset);
    }
    float sum = 0;
    for (int i = 0; i < dim; i++) {
      sum += query[i] * matrix[offset + i];
    }
    return sum;
  }

  /** The dot product of two vectors of equal length. */
  public static float dot(float[] a, float[] b) {
    return dot(a, b, 0);
  }
}
