package dev.engram.memory.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API kernel; loaded only when the incubator module is present. */
final class SimdDot {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private SimdDot() {}

  static float dot(float[] query, float[] matrix, int offset) {
    int dim = query.length;
    int upper = SPECIES.loopBound(dim);
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < upper; i += SPECIES.length()) {
      FloatVector q = FloatVector.fromArray(SPECIES, query, i);
      FloatVector m = FloatVector.fromArray(SPECIES, matrix, offset + i);
      acc = q.fma(m, acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      sum += query[i] * matrix[offset + i];
    }
    return sum;
  }
}
