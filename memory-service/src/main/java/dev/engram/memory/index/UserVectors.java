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
 * One user's memories as search scans them, in a compact column layout: a flat {@code float[]} of
 * row-major vectors, primitive columns for ids, type, state, time and session, and for the lexical
 * side each row's terms (ids into the user's dictionary of lexemes, which also counts each lexeme's
 * documents). Scans hold a read lock; changes a write lock. Carries the L2 version it reflects, so
 * a cache can tell whether it is current.
 */
public final class UserVectors {

  /** A row's term is packed as {@code termId << TF_BITS | occurrences}. */
  static final int TF_BITS = 9;

  static final int TF_MAX = (1 << TF_BITS) - 1;

  /** BM25's term-frequency saturation k1 and length normalisation b. */
  public record Bm25(float k1, float b) {
    /** The textbook parameters (the service configures its own: engram.memory.search.bm25-*). */
    public static final Bm25 STANDARD = new Bm25(1.2f, 0.75f);
  }

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
  private int[][] terms;
  private final Map<String, Integer> termIds = new HashMap<>();
  private String[] lexemes = new String[64];
  private int[] df = new int[64];
  // the inverted index: per term id, its df[id] postings (row << TF_BITS | occurrences), unordered
  private int[][] postings = new int[64][];
  private int termCount;
  private long totalLength;
  private volatile long version;
  private volatile long confirmedAtNanos = System.nanoTime();
  private volatile HitRows hitRows;
  // versions of this service's own bumps taken in before the versions between them and this one
  private final java.util.TreeSet<Long> ownAhead = new java.util.TreeSet<>();
  // this service's version bumps of the user: under way now, and started so far
  private final java.util.concurrent.atomic.AtomicInteger bumping =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong bumpsStarted =
      new java.util.concurrent.atomic.AtomicLong();

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
    terms = terms == null ? new int[capacity][] : Arrays.copyOf(terms, capacity);
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

  /**
   * Moves the entry to {@code version} (confirmed now), and on through the versions of this
   * service's own bumps that came back ahead of it ({@link #ownBump}).
   */
  public synchronized void version(long version) {
    this.version = version;
    this.confirmedAtNanos = System.nanoTime();
    fold();
  }

  /**
   * Takes in the version one of this service's own bumps of the user was given, its change already
   * applied to this entry: the entry moves to it when it is the next version, and on through the
   * later own versions whose replies came back first. Replies to two bumps of one user travel on
   * different Redis connections and event loops, so the later version's reply may be taken in
   * first; such a version waits here for the ones between (an own bump's, or another replica's
   * change, which drops the entry or moves it on). True if the entry's version moved.
   */
  public synchronized boolean ownBump(long bumped) {
    if (bumped <= version) {
      return false;
    }
    ownAhead.add(bumped);
    long before = version;
    fold();
    return version != before;
  }

  /** Own versions taken in ahead of the entry's version, waiting for those between. */
  public synchronized int ownAhead() {
    return ownAhead.size();
  }

  private void fold() {
    long v = version;
    while (ownAhead.remove(v + 1)) {
      v++;
    }
    ownAhead.headSet(v, true).clear();
    if (v != version) {
      version = v;
      confirmedAtNanos = System.nanoTime();
    }
  }

  /**
   * Takes in another replica's change to the rows only, announced at {@code announced}: the entry
   * moves on to it when it is the next version (and on through this replica's own later ones).
   * False if the entry misses a change in between (it must be dropped).
   */
  public synchronized boolean rowsAnnounced(long announced) {
    if (announced <= version) {
      return true;
    }
    if (announced != version + 1) {
      return false;
    }
    version(announced);
    return true;
  }

  /** Nanos (System.nanoTime) when the version was last confirmed against L2. */
  public long confirmedAtNanos() {
    return confirmedAtNanos;
  }

  public void confirmed() {
    this.confirmedAtNanos = System.nanoTime();
  }

  /** Makes the next read confirm the version again (the last confirmation was inconclusive). */
  public void unconfirmed() {
    this.confirmedAtNanos = System.nanoTime() - java.time.Duration.ofDays(1).toNanos();
  }

  /**
   * Marks the start of a version bump of the user by this service (a change it made: ingest,
   * reinforcement, a state change); {@link #bumpEnded()} when the bump's outcome was taken in.
   */
  public void bumpStarted() {
    bumping.incrementAndGet();
    bumpsStarted.incrementAndGet();
  }

  /** The end of a bump marked by {@link #bumpStarted()}. */
  public void bumpEnded() {
    bumping.decrementAndGet();
  }

  /** To take before reading the user's version from L2, for {@link #conclusive(long)}. */
  public long bumpMark() {
    return bumping.get() > 0 ? -1 : bumpsStarted.get();
  }

  /**
   * Whether a version read from L2 since {@code mark} can be compared with this entry's: no version
   * bump by this service overlapped the read. One that did may have reached Redis before the read
   * while its outcome had not yet reached this entry: the versions then differ although this entry
   * misses nothing, and dropping it would reload the user's vectors for nothing (inside someone's
   * search). Such a read proves nothing either way: keep the entry and confirm again later.
   */
  public boolean conclusive(long mark) {
    return mark >= 0 && bumping.get() == 0 && bumpsStarted.get() == mark;
  }

  /** The rows of the user's recent search hits (created with {@code capacity} on first use). */
  public HitRows hitRows(int capacity) {
    HitRows rows = hitRows;
    if (rows == null) {
      synchronized (this) {
        rows = hitRows;
        if (rows == null) {
          rows = new HitRows(capacity);
          hitRows = rows;
        }
      }
    }
    return rows;
  }

  /**
   * Drops the rows of these memories only (they changed; the others did not), and keeps readers
   * that started before from putting what they read.
   */
  public void invalidateRows(java.util.Collection<UUID> ids) {
    HitRows rows = hitRows;
    if (rows != null) {
      rows.drop(ids);
    }
  }

  /** Drops the rows of the user's search hits (their memories changed). */
  public void invalidateRows() {
    HitRows rows = hitRows;
    if (rows != null) {
      rows.invalidate();
    }
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
        } else {
          unindex(row);
        }
        index(row, entry.terms());
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
        unindex(row);
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
          terms[row] = terms[last];
          repost(terms[row], last, row);
          rows.put(new UUID(idHi[row], idLo[row]), row);
        }
        terms[last] = null;
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
        () ->
            toIds(
                split(size, helper, parallelRows, (from, to) -> scan(query, n, filter, from, to))
                    .sorted()));
  }

  private interface RangeScan {
    TopK scan(int from, int to);
  }

  /** Rows {@code [0, count)} scanned in one go, or above {@code parallelRows} in two halves. */
  private static TopK split(int count, Executor helper, int parallelRows, RangeScan scan) {
    if (count <= parallelRows || helper == null) {
      return scan.scan(0, count);
    }
    int middle = count / 2;
    CompletableFuture<TopK> second =
        CompletableFuture.supplyAsync(() -> scan.scan(middle, count), helper);
    TopK top = scan.scan(0, middle);
    top.addAll(second.join());
    return top;
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

  /**
   * The {@code n} memories that pass {@code filter} ranked by BM25 for the query's lexemes (as
   * PostgreSQL's {@code english} configuration makes them), best first; only memories sharing a
   * lexeme with the query. Document frequencies, the number of memories and their mean length (in
   * distinct lexemes) are the user's, over all the memories held here. Only the postings of the
   * query's lexemes are read (the inverted index), accumulated in this thread's scratch arrays.
   * With BM25's parameters {@code bm25}.
   */
  public List<ScoredId> lexical(String[] queryLexemes, int n, VectorFilter filter, Bm25 bm25) {
    float k1 = bm25.k1();
    float b = bm25.b();
    return read(
        () -> {
          int count = size;
          float meanLength = (float) Math.max(1.0, (double) totalLength / Math.max(1, count));
          Scratch scratch = Scratch.of(count);
          float[] scores = scratch.scores;
          int[] touched = scratch.touched;
          int hits = 0;
          int[] seen = new int[queryLexemes.length];
          int distinct = 0;
          for (String lexeme : queryLexemes) {
            Integer id = termIds.get(lexeme);
            if (id == null || df[id] == 0 || contains(seen, distinct, id)) {
              continue;
            }
            seen[distinct++] = id;
            double docs = df[id];
            float idf = (float) Math.log(1 + (count - docs + 0.5) / (docs + 0.5));
            int[] list = postings[id];
            for (int i = 0, end = df[id]; i < end; i++) {
              int row = list[i] >>> TF_BITS;
              int tf = list[i] & TF_MAX;
              float norm = k1 * (1 - b + b * terms[row].length / meanLength);
              if (scores[row] == 0) {
                touched[hits++] = row;
              }
              scores[row] += idf * tf * (k1 + 1) / (tf + norm);
            }
          }
          TopK top = new TopK(n);
          for (int i = 0; i < hits; i++) {
            int row = touched[i];
            float score = scores[row];
            scores[row] = 0;
            if (score > 0
                && filter.accepts(
                    types[row], states[row], occurred[row], sessionHi[row], sessionLo[row])) {
              top.offer(score, row);
            }
          }
          return toIds(top.sorted());
        });
  }

  /**
   * Each given memory's neighbours in its conversation: the memory of the same session and type
   * just before it and the one just after it (by time), among those that pass {@code filter};
   * either may be null. Memories without a session have none. One pass over the rows.
   */
  public Map<UUID, UUID[]> neighbours(List<UUID> ids, VectorFilter filter) {
    return read(
        () -> {
          int[] own = new int[ids.size()];
          int count = 0;
          for (UUID id : ids) {
            Integer row = rows.get(id);
            if (row != null && (sessionHi[row] != 0 || sessionLo[row] != 0)) {
              own[count++] = row;
            }
          }
          // the hits' rows by session, so that each row is matched by a binary search
          Integer[] order = new Integer[count];
          for (int i = 0; i < count; i++) {
            order[i] = own[i];
          }
          Arrays.sort(
              order,
              (x, y) ->
                  sessionHi[x] != sessionHi[y]
                      ? Long.compare(sessionHi[x], sessionHi[y])
                      : Long.compare(sessionLo[x], sessionLo[y]));
          long[] hi = new long[count];
          long[] lo = new long[count];
          for (int i = 0; i < count; i++) {
            hi[i] = sessionHi[order[i]];
            lo[i] = sessionLo[order[i]];
          }
          int[] before = new int[count];
          int[] after = new int[count];
          Arrays.fill(before, -1);
          Arrays.fill(after, -1);
          for (int row = 0; row < size; row++) {
            int at = first(hi, lo, count, sessionHi[row], sessionLo[row]);
            if (at < 0
                || !filter.accepts(
                    types[row], states[row], occurred[row], sessionHi[row], sessionLo[row])) {
              continue;
            }
            for (int i = at; i < count && hi[i] == sessionHi[row] && lo[i] == sessionLo[row]; i++) {
              int hit = order[i];
              if (types[row] != types[hit]) {
                continue;
              }
              long t = occurred[row];
              long mine = occurred[hit];
              if (t < mine && (before[i] < 0 || t > occurred[before[i]])) {
                before[i] = row;
              } else if (t > mine && (after[i] < 0 || t < occurred[after[i]])) {
                after[i] = row;
              }
            }
          }
          Map<UUID, UUID[]> out = new HashMap<>();
          for (int i = 0; i < count; i++) {
            out.put(id(order[i]), new UUID[] {id(before[i]), id(after[i])});
          }
          return out;
        });
  }

  private UUID id(int row) {
    return row < 0 ? null : new UUID(idHi[row], idLo[row]);
  }

  /** The first index of session (hi, lo) in the sorted arrays, or -1. */
  private static int first(long[] hi, long[] lo, int count, long h, long l) {
    int low = 0;
    int high = count;
    while (low < high) {
      int mid = (low + high) >>> 1;
      int c = hi[mid] != h ? Long.compare(hi[mid], h) : Long.compare(lo[mid], l);
      if (c < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low < count && hi[low] == h && lo[low] == l ? low : -1;
  }

  private static boolean contains(int[] ids, int count, int id) {
    for (int i = 0; i < count; i++) {
      if (ids[i] == id) {
        return true;
      }
    }
    return false;
  }

  /** Per-thread score accumulators for {@link #lexical}: zero between uses. */
  private static final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
    float[] scores = new float[0];
    int[] touched = new int[0];

    static Scratch of(int rows) {
      Scratch s = LOCAL.get();
      if (s.scores.length < rows) {
        s.scores = new float[rows + rows / 4];
        s.touched = new int[s.scores.length];
      }
      return s;
    }
  }

  /**
   * The same ranking as {@link #lexical} by a scan of every row's terms (the way it was done before
   * the inverted index; kept to test that one against). Above {@code parallelRows} rows the scan is
   * split in two halves, one of them on {@code helper}.
   */
  List<ScoredId> lexicalScan(
      String[] queryLexemes, int n, VectorFilter filter, Executor helper, int parallelRows) {
    return read(
        () -> {
          QueryWeights weights = weights(queryLexemes);
          if (weights == null) {
            return List.<ScoredId>of();
          }
          int count = size;
          float meanLength = (float) Math.max(1.0, (double) totalLength / Math.max(1, count));
          return toIds(
              split(
                      count,
                      helper,
                      parallelRows,
                      (from, to) -> scanTerms(weights, meanLength, n, filter, from, to))
                  .sorted());
        });
  }

  /** Each query lexeme the user's memories contain, with its inverse document frequency. */
  private QueryWeights weights(String[] queryLexemes) {
    QueryWeights weights = new QueryWeights(queryLexemes.length, termCount);
    for (String lexeme : queryLexemes) {
      Integer id = termIds.get(lexeme);
      if (id != null && df[id] > 0) {
        double docs = df[id];
        weights.put(id, (float) Math.log(1 + (size - docs + 0.5) / (docs + 0.5)));
      }
    }
    return weights.isEmpty() ? null : weights;
  }

  private TopK scanTerms(
      QueryWeights weights, float meanLength, int n, VectorFilter filter, int from, int to) {
    TopK top = new TopK(n);
    for (int row = from; row < to; row++) {
      int[] rowTerms = terms[row];
      if (rowTerms == null
          || rowTerms.length == 0
          || !filter.accepts(
              types[row], states[row], occurred[row], sessionHi[row], sessionLo[row])) {
        continue;
      }
      float k1 = Bm25.STANDARD.k1();
      float b = Bm25.STANDARD.b();
      float norm = k1 * (1 - b + b * rowTerms.length / meanLength);
      float score = 0;
      for (int packed : rowTerms) {
        float idf = weights.get(packed >>> TF_BITS);
        if (idf != 0) {
          int tf = packed & TF_MAX;
          score += idf * tf * (k1 + 1) / (tf + norm);
        }
      }
      if (score > 0) {
        top.offer(score, row);
      }
    }
    return top;
  }

  /** Gives the row its terms (callers hold the write lock). */
  private void index(int row, TermCounts counts) {
    if (counts == null || counts.size() == 0) {
      terms[row] = null;
      return;
    }
    int[] packed = new int[counts.size()];
    for (int i = 0; i < packed.length; i++) {
      int id = termId(counts.lexemes()[i]);
      int tf = Math.min(Math.max(counts.counts()[i], 1), TF_MAX);
      post(id, row << TF_BITS | tf);
      packed[i] = id << TF_BITS | tf;
    }
    terms[row] = packed;
    totalLength += packed.length;
  }

  /** Takes the row's terms out of the statistics (callers hold the write lock). */
  private void unindex(int row) {
    int[] rowTerms = terms[row];
    if (rowTerms == null) {
      return;
    }
    for (int packed : rowTerms) {
      unpost(packed >>> TF_BITS, row);
    }
    totalLength -= rowTerms.length;
    terms[row] = null;
  }

  /** Adds a posting to a term's list, counting the document. */
  private void post(int termId, int posting) {
    int[] list = postings[termId];
    int count = df[termId];
    if (list == null) {
      list = new int[4];
    } else if (count == list.length) {
      list = Arrays.copyOf(list, count * 2);
    }
    list[count] = posting;
    postings[termId] = list;
    df[termId] = count + 1;
  }

  /** Takes a row's posting out of a term's list (the list's last one fills the hole). */
  private void unpost(int termId, int row) {
    int[] list = postings[termId];
    int last = df[termId] - 1;
    for (int i = 0; i <= last; i++) {
      if (list[i] >>> TF_BITS == row) {
        list[i] = list[last];
        df[termId] = last;
        return;
      }
    }
  }

  /** Points a moved row's postings at its new place. */
  private void repost(int[] rowTerms, int from, int to) {
    if (rowTerms == null) {
      return;
    }
    for (int packed : rowTerms) {
      int[] list = postings[packed >>> TF_BITS];
      int count = df[packed >>> TF_BITS];
      for (int i = 0; i < count; i++) {
        if (list[i] >>> TF_BITS == from) {
          list[i] = to << TF_BITS | (list[i] & TF_MAX);
          break;
        }
      }
    }
  }

  private int termId(String lexeme) {
    Integer id = termIds.get(lexeme);
    if (id != null) {
      return id;
    }
    if (termCount == lexemes.length) {
      lexemes = Arrays.copyOf(lexemes, termCount * 2);
      df = Arrays.copyOf(df, termCount * 2);
      postings = Arrays.copyOf(postings, termCount * 2);
    }
    lexemes[termCount] = lexeme;
    termIds.put(lexeme, termCount);
    return termCount++;
  }

  /** The number of the user's memories holding a lexeme (tests, analytics). */
  public int documentFrequency(String lexeme) {
    return read(
        () -> {
          Integer id = termIds.get(lexeme);
          return id == null ? 0 : df[id];
        });
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

  /** Serialises under the read lock (see {@link VectorCodec}), tagged with the model's tag. */
  byte[] encode(int model) {
    return read(() -> VectorCodec.encode(this, model));
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

  int[][] terms() {
    return terms;
  }

  String[] lexemes() {
    return lexemes;
  }

  int termCount() {
    return termCount;
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
      long[] sessionLo,
      int[][] terms,
      String[] lexemes) {
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
      this.terms = terms;
      this.lexemes = Arrays.copyOf(lexemes, Math.max(64, lexemes.length));
      this.termCount = lexemes.length;
      this.df = new int[this.lexemes.length];
      this.postings = new int[this.lexemes.length][];
      termIds.clear();
      for (int id = 0; id < lexemes.length; id++) {
        termIds.put(lexemes[id], id);
      }
      totalLength = 0;
      rows.clear();
      for (int row = 0; row < count; row++) {
        rows.put(new UUID(idHi[row], idLo[row]), row);
        if (terms[row] != null) {
          for (int packed : terms[row]) {
            post(packed >>> TF_BITS, row << TF_BITS | (packed & TF_MAX));
          }
          totalLength += terms[row].length;
        }
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
