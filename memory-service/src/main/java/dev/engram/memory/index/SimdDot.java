package dev.engram.memory.index;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API kernel; loaded only when the incubator module is present. */
final class SimdDot {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** As many byte lanes as {@link #SPECIES} has float lanes. */
  private static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / 4));

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

  /** The dot product of {@code query} with the int8 codes at {@code offset} (unscaled). */
  static float dotCodes(float[] query, byte[] codes, int offset) {
    int dim = query.length;
    int upper = SPECIES.loopBound(dim);
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < upper; i += SPECIES.length()) {
      FloatVector q = FloatVector.fromArray(SPECIES, query, i);
      FloatVector c =
          (FloatVector) ByteVector.fromArray(BYTES, codes, offset + i).castShape(SPECIES, 0);
      acc = q.fma(c, acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < dim; i++) {
      sum += query[i] * codes[offset + i];
    }
    return sum;
  }
}
