package dev.engram.memory.index;

/**
 * The {@code k} best (score, row) pairs seen so far: a min-heap on primitive arrays, so a scan over
 * a hundred thousand rows allocates nothing per row.
 */
final class TopK {

  private final float[] scores;
  private final int[] rows;
  private int size;

  TopK(int k) {
    scores = new float[Math.max(1, k)];
    rows = new int[Math.max(1, k)];
  }

  void offer(float score, int row) {
    if (size < scores.length) {
      scores[size] = score;
      rows[size] = row;
      siftUp(size++);
    } else if (score > scores[0]) {
      scores[0] = score;
      rows[0] = row;
      siftDown(0);
    }
  }

  void addAll(TopK other) {
    for (int i = 0; i < other.size; i++) {
      offer(other.scores[i], other.rows[i]);
    }
  }

  /** Sorts best first; after this the heap order is gone (call once, at the end). */
  TopK sorted() {
    int n = size;
    for (int end = n - 1; end > 0; end--) {
      swap(0, end);
      size = end;
      siftDown(0);
    }
    size = n;
    return this;
  }

  int size() {
    return size;
  }

  float score(int i) {
    return scores[i];
  }

  int row(int i) {
    return rows[i];
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (scores[parent] <= scores[i]) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int left = 2 * i + 1;
      int right = left + 1;
      int smallest = i;
      if (left < size && scores[left] < scores[smallest]) {
        smallest = left;
      }
      if (right < size && scores[right] < scores[smallest]) {
        smallest = right;
      }
      if (smallest == i) {
        return;
      }
      swap(i, smallest);
      i = smallest;
    }
  }

  private void swap(int a, int b) {
    float s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
    int r = rows[a];
    rows[a] = rows[b];
    rows[b] = r;
  }
}
