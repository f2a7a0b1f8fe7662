package dev.engram.memory.index;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One user's vectors in a compact column layout: a flat {@code float[]} of row-major vectors and
 * primitive columns for ids, type, state, time and session. Scans hold a read lock; changes a write
 * lock. Carries the L2 version it reflects, so a cache can tell whether it is current.
 */
public final class UserVectors {

  private final int dim;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<UUID, Integer> rows = new HashMap<>();
  private int size;
  private float[] vectors;
  private long[] idHi;
  private long[] idLo;
  private byte[] types;
  private byte[] states;
  private long[] occurred;
  private long[] sessionHi;
  private long[] sessionLo;
  private volatile long version;
  private volatile long confirmedAtNanos = System.nanoTime();

  public UserVectors(int dim, int capacity, long version) {
    this.dim = dim;
    this.version = version;
    allocate(Math.max(16, capacity));
  }

  private void allocate(int capacity) {
    vectors = vectors == null ? new float[capacity * dim] : Arrays.copyOf(vectors, capacity * dim);
    idHi = idHi == null ? new long[capacity] : Arrays.copyOf(idHi, capacity);
    idLo = idLo == null ? new long[capacity] : Arrays.copyOf(idLo, capacity);
    types = types == null ? new byte[capacity] : Arrays.copyOf(types, capacity);
    states = states == null ? new byte[capacity] : Arrays.copyOf(states, capacity);
    occurred = occurred == null ? new long[capacity] : Arrays.copyOf(occurred, capacity);
    sessionHi = sessionHi == null ? new long[capacity] : Arrays.copyOf(sessionHi, capacity);
    sessionLo = sessionLo == null ? new long[capacity] : Arrays.copyOf(sessionLo, capacity);
  }

  public int dimension() {
    return dim;
  }

  public int size() {
    lock.readLock().lock();
    try {
      return size;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The L2 version these vectors reflect. */
  public long version() {
    return version;
  }

  public void version(long version) {
    this.version = version;
    this.confirmedAtNanos = System.nanoTime();
  }

  /** Nanos (System.nanoTime) when the version was last confirmed against L2. */
  public long confirmedAtNanos() {
    return confirmedAtNanos;
  }

  public void confirmed() {
    this.confirmedAtNanos = System.nanoTime();
  }

  /** Adds or replaces rows. */
  public void put(List<VectorEntry> entries) {
    lock.writeLock().lock();
    try {
      for (VectorEntry entry : entries) {
        if (entry.vector().length != dim) {
          throw new IllegalArgumentException("Vector of " + entry.vector().length + " dimensions");
        }
        Integer existing = rows.get(entry.id());
        int row = existing != null ? existing : size++;
        if (existing == null) {
          if (row >= idHi.length) {
            allocate(idHi.length * 2);
          }
          rows.put(entry.id(), row);
        }
        System.arraycopy(entry.vector(), 0, vectors, row * dim, dim);
        idHi[row] = entry.id().getMostSignificantBits();
        idLo[row] = entry.id().getLeastSignificantBits();
        types[row] = (byte) entry.type().ordinal();
        states[row] = (byte) entry.state().ordinal();
        occurred[row] = entry.occurredAt().toEpochMilli();
        UUID session = entry.sessionId();
        sessionHi[row] = session == null ? 0 : session.getMostSignificantBits();
        sessionLo[row] = session == null ? 0 : session.getLeastSignificantBits();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Changes the state of a row, if present. */
  public void state(UUID id, MemoryState state) {
    lock.writeLock().lock();
    try {
      Integer row = rows.get(id);
      if (row != null) {
        states[row] = (byte) state.ordinal();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes rows (the last row moves into the hole). */
  public void remove(List<UUID> ids) {
    lock.writeLock().lock();
    try {
      for (UUID id : ids) {
        Integer row = rows.remove(id);
        if (row == null) {
          continue;
        }
        int last = --size;
        if (row != last) {
          System.arraycopy(vectors, last * dim, vectors, row * dim, dim);
          idHi[row] = idHi[last];
          idLo[row] = idLo[last];
          types[row] = types[last];
          states[row] = states[last];
          occurred[row] = occurred[last];
          sessionHi[row] = sessionHi[last];
          sessionLo[row] = sessionLo[last];
          rows.put(new UUID(idHi[row], idLo[row]), row);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The vector of one memory, or null. */
  public float[] vector(UUID id) {
    lock.readLock().lock();
    try {
      Integer row = rows.get(id);
      return row == null ? null : Arrays.copyOfRange(vectors, row * dim, row * dim + dim);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The {@code n} memories most similar to {@code query} that pass {@code filter}, best first.
   * Above {@code parallelRows} rows the scan is split in two halves, one of them on {@code helper}.
   */
  public List<ScoredId> search(
      float[] query, int n, VectorFilter filter, Executor helper, int parallelRows) {
    return read(
        () -> {
          int count = size;
          TopK top;
          if (count > parallelRows && helper != null) {
            int middle = count / 2;
            CompletableFuture<TopK> second =
                CompletableFuture.supplyAsync(() -> scan(query, n, filter, middle, count), helper);
            top = scan(query, n, filter, 0, middle);
            top.addAll(second.join());
          } else {
            top = scan(query, n, filter, 0, count);
          }
          return toIds(top.sorted());
        });
  }

  /** The {@code n} rows most similar to {@code query} among rows {@code [from, to)}. */
  TopK scan(float[] query, int n, VectorFilter filter, int from, int to) {
    TopK top = new TopK(n);
    for (int row = from; row < to; row++) {
      if (filter.accepts(types[row], states[row], occurred[row], sessionHi[row], sessionLo[row])) {
        top.offer(VectorMath.dot(query, vectors, row), row);
      }
    }
    return top;
  }

  /** Runs {@code work} under the read lock, so a scan sees one consistent snapshot. */
  <T> T read(java.util.function.Supplier<T> work) {
    lock.readLock().lock();
    try {
      return work.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  int rowCount() {
    return size;
  }

  List<ScoredId> toIds(TopK top) {
    List<ScoredId> out = new ArrayList<>(top.size());
    for (int i = 0; i < top.size(); i++) {
      int row = top.row(i);
      out.add(new ScoredId(new UUID(idHi[row], idLo[row]), top.score(i)));
    }
    return out;
  }

  /** Serialises under the read lock (see {@link VectorCodec}). */
  byte[] encode() {
    return read(() -> VectorCodec.encode(this));
  }

  // Column accessors for the codec (callers hold the read lock).
  float[] vectors() {
    return vectors;
  }

  long[] idHi() {
    return idHi;
  }

  long[] idLo() {
    return idLo;
  }

  byte[] types() {
    return types;
  }

  byte[] states() {
    return states;
  }

  long[] occurred() {
    return occurred;
  }

  long[] sessionHi() {
    return sessionHi;
  }

  long[] sessionLo() {
    return sessionLo;
  }

  /** Builds rows straight from decoded columns. */
  void load(
      int count,
      float[] vectors,
      long[] idHi,
      long[] idLo,
      byte[] types,
      byte[] states,
      long[] occurred,
      long[] sessionHi,
      long[] sessionLo) {
    lock.writeLock().lock();
    try {
      this.size = count;
      this.vectors = vectors;
      this.idHi = idHi;
      this.idLo = idLo;
      this.types = types;
      this.states = states;
      this.occurred = occurred;
      this.sessionHi = sessionHi;
      this.sessionLo = sessionLo;
      rows.clear();
      for (int row = 0; row < count; row++) {
        rows.put(new UUID(idHi[row], idLo[row]), row);
      }
      if (count >= idHi.length) {
        allocate(Math.max(16, count * 2));
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  static MemoryType type(byte ordinal) {
    return MemoryType.values()[ordinal];
  }
}
