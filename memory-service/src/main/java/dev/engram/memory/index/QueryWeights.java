package dev.engram.memory.index;

import java.util.Arrays;

/**
 * A query's term ids with their weights: a lexical scan looks up every term of every row, so a bit
 * per dictionary term answers "not in the query" with one load (a user of 100,000 lexemes needs 12
 * KiB), and the weights of the few that are sit in an open-addressing table, without boxing.
 */
final class QueryWeights {

  private final long[] present;
  private final int[] keys;
  private final float[] weights;
  private final int mask;
  private int size;

  QueryWeights(int expected, int dictionarySize) {
    present = new long[(dictionarySize + 63) >>> 6];
    int capacity = Integer.highestOneBit(Math.max(4, expected * 4) - 1) << 1;
    keys = new int[capacity];
    Arrays.fill(keys, -1);
    weights = new float[capacity];
    mask = capacity - 1;
  }

  void put(int termId, float weight) {
    int slot = slot(termId);
    while (keys[slot] != -1 && keys[slot] != termId) {
      slot = (slot + 1) & mask;
    }
    if (keys[slot] == -1) {
      size++;
    }
    keys[slot] = termId;
    weights[slot] = weight;
    present[termId >>> 6] |= 1L << termId;
  }

  /** The term's weight, or 0 if the query does not hold it. */
  float get(int termId) {
    if ((present[termId >>> 6] & (1L << termId)) == 0) {
      return 0;
    }
    int slot = slot(termId);
    while (true) {
      int key = keys[slot];
      if (key == termId) {
        return weights[slot];
      }
      if (key == -1) {
        return 0;
      }
      slot = (slot + 1) & mask;
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  private int slot(int termId) {
    return (termId * 0x9E3779B9 >>> 16) & mask;
  }
}
