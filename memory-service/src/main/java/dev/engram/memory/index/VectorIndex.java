package dev.engram.memory.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.engram.events.MemoryState;
import dev.engram.memory.client.InvalidationClient;
import dev.engram.memory.client.VectorCacheClient;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.model.Memory;
import dev.engram.memory.repository.MemoryRepository;
import dev.engram.web.SingleFlight;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every user's vectors, for dense search: L1 an in-process Caffeine cache of {@link UserVectors},
 * L2 Redis (so another replica loads a user without the database), L3 PostgreSQL. An L1 entry is
 * used while its version matches the user's version in Redis (bumped after every change); while
 * Redis is unreachable it is trusted for {@code l1-trust-without-redis}, then reloaded from the
 * database. Changes made by this replica are applied to L1 in place and copied to L2 in the
 * background ({@link #flushDirty()}).
 */
@ApplicationScoped
public class VectorIndex {

  private final Cache<String, UserVectors> l1;
  private final VectorCacheClient l2;
  private final MemoryRepository repository;
  private final MemoryConfig.Cache config;
  private final CacheStats stats;
  private final InvalidationClient invalidations;
  private final int dimension;
  private final int model;
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final SingleFlight<UserVectors> loads = new SingleFlight<>();
  // the newest version other replicas announced per user, for loads that race with a change
  private final Cache<String, Long> heard =
      Caffeine.newBuilder()
          .expireAfterWrite(java.time.Duration.ofMinutes(1))
          .maximumSize(100_000)
          .build();
  private final AtomicReference<CompletableFuture<Void>> lastFlush =
      new AtomicReference<>(CompletableFuture.completedFuture(null));
  private final ExecutorService scanHelper =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "vector-scan");
            t.setDaemon(true);
            return t;
          });

  public VectorIndex(
      VectorCacheClient l2,
      MemoryRepository repository,
      MemoryConfig config,
      CacheStats stats,
      Embedder embedder) {
    this.l2 = l2;
    this.invalidations = l2.invalidations();
    this.repository = repository;
    this.config = config.cache();
    this.stats = stats;
    this.dimension = embedder.dimension();
    this.model = VectorCodec.modelTag(embedder.modelId());
    this.l1 =
        Caffeine.newBuilder()
            .maximumWeight(this.config.l1MaxVectors())
            .weigher((String user, UserVectors v) -> Math.max(1, v.size()))
            .build();
    invalidations.listen(this::invalidated);
  }

  /** The {@code n} nearest memories of a user to {@code query}, best first. */
  public Uni<List<ScoredId>> search(String userId, float[] query, int n, VectorFilter filter) {
    return vectors(userId)
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(v -> v.search(query, n, filter, scanHelper, config.parallelScanThreshold()));
  }

  /** Both sides of a hybrid search over one snapshot of a user's memories. */
  public record Candidates(List<ScoredId> dense, List<ScoredId> lexical, UserVectors vectors) {}

  /**
   * The {@code n} nearest memories of a user to {@code query} and the {@code n} best by BM25 for
   * the query's lexemes (see {@link UserVectors#lexical}), each best first; the lexemes are awaited
   * while the user's vectors are looked up.
   */
  public Uni<Candidates> hybrid(
      String userId,
      float[] query,
      Uni<String[]> lexemes,
      int n,
      VectorFilter filter,
      UserVectors.Bm25 bm25) {
    int parallel = config.parallelScanThreshold();
    return Uni.combine()
        .all()
        .unis(vectors(userId), lexemes)
        .asTuple()
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(
            t -> {
              UserVectors v = t.getItem1();
              String[] queryLexemes = t.getItem2();
              return new Candidates(
                  v.search(query, n, filter, scanHelper, parallel),
                  v.lexical(queryLexemes, n, filter, bm25),
                  v);
            });
  }

  /** Similarity of {@code query} to the user's nearest live memory, or empty if none. */
  public Uni<Optional<Float>> nearestSimilarity(String userId, float[] query) {
    return search(userId, query, 1, VectorFilter.live())
        .map(hits -> hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0).score()));
  }

  /** A user's vectors from the nearest level that is current. */
  public Uni<UserVectors> vectors(String userId) {
    UserVectors cached = l1.getIfPresent(userId);
    if (cached != null && invalidations.live()) {
      // the other replicas' changes arrive as messages: no round trip to Redis
      stats.l1Hit();
      if (System.nanoTime() - cached.confirmedAtNanos() >= config.l1Recheck().toNanos()) {
        recheck(userId, cached);
      }
      return Uni.createFrom().item(cached);
    }
    long mark = cached == null ? -1 : cached.bumpMark();
    return l2.version(userId)
        .flatMap(
            version -> {
              if (version.isEmpty()) {
                if (cached != null
                    && System.nanoTime() - cached.confirmedAtNanos()
                        < config.l1TrustWithoutRedis().toNanos()) {
                  stats.l1Hit();
                  return Uni.createFrom().item(cached);
                }
                stats.l1Miss();
                return shared(userId, -1, () -> fromDatabase(userId, -1));
              }
              long current = version.get();
              if (cached != null && cached.version() == current) {
                cached.confirmed();
                stats.l1Hit();
                return Uni.createFrom().item(cached);
              }
              if (cached != null && current > cached.version() && !cached.conclusive(mark)) {
                // this replica's own change overlapped the read: the entry is as current as a
                // moment ago; the next search asks again
                stats.l1Hit();
                return Uni.createFrom().item(cached);
              }
              stats.l1Miss();
              if (cached != null) {
                stats.dropped("stale");
              }
              return shared(userId, current, () -> fromRedis(userId, current));
            });
  }

  /**
   * One load of a user's vectors at a version for all who need it at once (a user's concurrent
   * searches after the entry was dropped): the first caller loads, the others wait for its result
   * instead of each reading the database.
   */
  Uni<UserVectors> shared(
      String userId, long version, java.util.function.Supplier<Uni<UserVectors>> load) {
    return loads.run(version + ":" + userId, key -> load.get());
  }

  /**
   * Confirms an entry's version (epoch) in the background, dropping the entry if a change was
   * missed (an invalidation lost while the subscription was down).
   */
  private void recheck(String userId, UserVectors cached) {
    cached.confirmed(); // one recheck per interval, however many searches meanwhile
    long mark = cached.bumpMark();
    l2.version(userId)
        .subscribe()
        .with(
            version -> {
              if (version.isEmpty() || version.get() == cached.version()) {
                return;
              }
              if (!cached.conclusive(mark)) {
                cached.unconfirmed(); // this replica's own change overlapped: ask again
                return;
              }
              if (l1.asMap().remove(userId, cached)) {
                stats.dropped("recheck");
              }
            },
            e -> {});
  }

  /**
   * Puts a loaded entry into L1, unless another replica's change newer than the version it was
   * loaded at was announced while it loaded (the message found nothing to drop then).
   */
  private void keep(String userId, UserVectors loaded) {
    Long latest = heard.getIfPresent(userId);
    if (latest == null || loaded.version() < 0 || loaded.version() >= latest) {
      l1.put(userId, loaded);
    }
  }

  /** Applies another replica's change: drops what it made stale. */
  private void invalidated(InvalidationClient.Invalidation message) {
    String userId = message.userId();
    if (message.kind() != InvalidationClient.Invalidation.Kind.FORGET) {
      heard.asMap().merge(userId, message.version(), Math::max);
    }
    UserVectors cached = l1.getIfPresent(userId);
    if (cached == null) {
      return;
    }
    boolean dropped =
        switch (message.kind()) {
          case FORGET -> l1.asMap().remove(userId, cached);
          case ROWS -> {
            if (message.version() <= cached.version()) {
              yield false;
            }
            // the rows changed; the vectors did not: the next version is taken in as it is
            cached.invalidateRows();
            yield !cached.rowsAnnounced(message.version()) && l1.asMap().remove(userId, cached);
          }
          default -> message.version() > cached.version() && l1.asMap().remove(userId, cached);
        };
    if (dropped) {
      stats.dropped("invalidation");
    }
  }

  /**
   * The user's memories with these ids: those among the user's recent search hits from L1, the
   * others from the database (and kept in L1 for the next search).
   */
  public Uni<Map<UUID, Memory>> rows(UserVectors vectors, String userId, List<UUID> ids) {
    HitRows hits = vectors.hitRows(config.l1RowsPerUser());
    long generation = hits.generation();
    List<UUID> missing = new ArrayList<>();
    Map<UUID, Memory> found = hits.get(ids, missing);
    if (missing.isEmpty()) {
      return Uni.createFrom().item(found);
    }
    return repository
        .findAll(repository.pool(), userId, missing)
        .map(
            read -> {
              hits.putAll(generation, read);
              found.putAll(read);
              return found;
            });
  }

  private Uni<UserVectors> fromRedis(String userId, long version) {
    return l2.blob(userId)
        .flatMap(
            blob -> {
              if (blob.isPresent() && VectorCodec.version(blob.get()) == version) {
                UserVectors decoded = VectorCodec.decode(blob.get(), dimension, model);
                if (decoded != null) {
                  stats.l2Hit();
                  decoded.version(version);
                  keep(userId, decoded);
                  return Uni.createFrom().item(decoded);
                }
              }
              stats.l2Miss();
              return fromDatabase(userId, version);
            });
  }

  private Uni<UserVectors> fromDatabase(String userId, long version) {
    stats.l3Load();
    return repository
        .vectors(userId)
        .map(
            entries -> {
              UserVectors loaded = new UserVectors(dimension, entries.size(), version);
              loaded.put(entries);
              keep(userId, loaded);
              return loaded;
            })
        .invoke(
            loaded -> {
              // the copy for the other replicas is no business of the search waiting for this load
              if (version >= 0 && loaded.size() <= config.l2MaxMemories()) {
                Uni.createFrom()
                    .deferred(() -> l2.store(userId, loaded.encode(model)))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .subscribe()
                    .with(stored -> {}, failure -> {});
              }
            });
  }

  /** Applies memories this replica just stored. */
  public Uni<Void> added(String userId, List<VectorEntry> entries) {
    return changed(userId, v -> v.put(entries));
  }

  /** Applies a state change this replica just stored. */
  public Uni<Void> stateChanged(String userId, UUID id, MemoryState state) {
    return changed(userId, v -> v.state(id, state));
  }

  /** Applies deletions this replica just stored. */
  public Uni<Void> removed(String userId, List<UUID> ids) {
    return changed(userId, v -> v.remove(ids));
  }

  /** Applies a change this replica just stored (several rows at once, one version bump). */
  public Uni<Void> changed(String userId, java.util.function.Consumer<UserVectors> change) {
    return changed(userId, change, null);
  }

  /**
   * As {@link #changed(String, java.util.function.Consumer)}, for a change that adds memories and
   * alters only the existing rows {@code touched}: the rows this replica holds of the user's other
   * search hits stay (an ingest must not send the next search to the database for rows it did not
   * change). Other replicas drop their entry as for any change.
   */
  public Uni<Void> changed(
      String userId,
      java.util.function.Consumer<UserVectors> change,
      java.util.Collection<UUID> touched) {
    UserVectors before = l1.getIfPresent(userId);
    return bump(
            userId,
            before,
            l2.bump(userId),
            bumped -> {
              UserVectors cached = l1.getIfPresent(userId);
              if (cached == null) {
                return;
              }
              change.accept(cached);
              if (touched == null || cached != before) {
                cached.invalidateRows(); // loaded meanwhile: its rows may predate the change
              } else {
                cached.invalidateRows(touched);
              }
              if (advanced(cached, bumped) && cached.size() <= config.l2MaxMemories()) {
                dirty.add(userId);
              }
            })
        .call(bumped -> publish(InvalidationClient.Invalidation.Kind.ALL, userId, bumped))
        .replaceWithVoid();
  }

  /**
   * Applies a change this replica just stored to columns of the user's memories that search does
   * not scan (strength, access count, cluster): the rows of the user's search hits are dropped here
   * and on the other replicas, the vectors stay.
   */
  public Uni<Void> rowsChanged(String userId) {
    return rowsChanged(userId, UserVectors::invalidateRows);
  }

  /**
   * The generation of the rows this replica holds of the user's search hits, to pass to {@link
   * #rowsChanged(String, long, Map)} after a change (-1 if none are held).
   */
  public long rowsGeneration(String userId) {
    UserVectors cached = l1.getIfPresent(userId);
    return cached == null ? -1 : cached.hitRows(config.l1RowsPerUser()).generation();
  }

  /**
   * As {@link #rowsChanged(String)}, for a change whose new rows are known: this replica keeps them
   * (unless something else changed the user's memories since {@code generation}).
   */
  public Uni<Void> rowsChanged(String userId, long generation, Map<UUID, Memory> current) {
    return rowsChanged(userId, v -> v.hitRows(config.l1RowsPerUser()).replace(generation, current));
  }

  private Uni<Void> rowsChanged(String userId, java.util.function.Consumer<UserVectors> local) {
    UserVectors before = l1.getIfPresent(userId);
    if (before != null) {
      local.accept(before); // at once: this replica's next search must not see the old rows
    }
    return bump(
            userId,
            before,
            l2.bumpRows(userId),
            bumped -> {
              UserVectors cached = l1.getIfPresent(userId);
              if (cached == null) {
                return;
              }
              if (cached != before) {
                cached.invalidateRows(); // loaded meanwhile: its rows may predate the change
              }
              advanced(cached, bumped);
            })
        .call(bumped -> publish(InvalidationClient.Invalidation.Kind.ROWS, userId, bumped))
        .replaceWithVoid();
  }

  /**
   * Bumps the user's version in L2 for a change made here, marking the bump on the user's L1 entry
   * while it is under way (see {@link UserVectors#conclusive}), until {@code takeIn} has taken its
   * outcome into L1.
   */
  private Uni<Optional<Long>> bump(
      String userId,
      UserVectors entry,
      Uni<Optional<Long>> bump,
      java.util.function.Consumer<Optional<Long>> takeIn) {
    if (entry == null) {
      return bump.invoke(takeIn);
    }
    return Uni.createFrom()
        .deferred(
            () -> {
              entry.bumpStarted();
              return bump;
            })
        .invoke(takeIn)
        .onTermination()
        .invoke(entry::bumpEnded);
  }

  /**
   * Takes the outcome of a version bump into this replica's entry: without Redis the entry is
   * confirmed as it stands; with the next version it moves to it (true), and on through the
   * versions of this replica's other bumps whose replies came first; a version further on waits for
   * the ones between: this replica's bumps still under way, or another replica's change (whose
   * message drops the entry, or whose loss the next version check catches).
   */
  private static boolean advanced(UserVectors cached, Optional<Long> bumped) {
    if (bumped.isEmpty()) {
      cached.confirmed();
      return false;
    }
    return cached.ownBump(bumped.get());
  }

  private Uni<Void> publish(
      InvalidationClient.Invalidation.Kind kind, String userId, Optional<Long> version) {
    return version.isEmpty()
        ? Uni.createFrom().voidItem()
        : invalidations.publish(kind, userId, version.get());
  }

  /**
   * Copies the L1 vectors of users changed here to L2, so other replicas need not reload. Flushes
   * run one after another: when the returned {@link Uni} completes, every change this replica
   * applied before the call is in L2 (or Redis failed and the user stays marked for the next
   * flush), even if a periodic flush had already picked the user up.
   */
  @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public Uni<Void> flushDirty() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> previous = lastFlush.getAndSet(done);
    return Uni.createFrom()
        .completionStage(previous)
        .chain(this::flushNow)
        .onTermination()
        .invoke(() -> done.complete(null));
  }

  private Uni<Void> flushNow() {
    List<String> users = List.copyOf(dirty);
    dirty.removeAll(users);
    return io.smallrye.mutiny.Multi.createFrom()
        .iterable(users)
        .onItem()
        .transformToUniAndConcatenate(
            user -> {
              UserVectors cached = l1.getIfPresent(user);
              return cached == null
                  ? Uni.createFrom().voidItem()
                  : l2.store(user, cached.encode(model))
                      .invoke(
                          stored -> {
                            if (!stored && l1.getIfPresent(user) != null) {
                              dirty.add(user); // Redis missed it: again on the next flush
                            }
                          })
                      .replaceWithVoid();
            })
        .collect()
        .last()
        .replaceWithVoid();
  }

  /**
   * Forgets a user everywhere (L1 here, L2); false if Redis could not be reached. A flush already
   * under way may have read the user's vectors before they were dropped here: L2 is cleared after
   * it, or its write would bring them back.
   */
  public Uni<Boolean> forget(String userId) {
    l1.invalidate(userId);
    dirty.remove(userId);
    return Uni.createFrom()
        .completionStage(lastFlush.get())
        .onFailure()
        .recoverWithNull()
        .chain(() -> l2.forget(userId))
        .call(
            forgotten ->
                invalidations.publish(InvalidationClient.Invalidation.Kind.FORGET, userId, 0));
  }

  /** Whether this replica holds the user's vectors in L1. */
  public boolean holdsLocally(String userId) {
    return l1.getIfPresent(userId) != null;
  }

  /** Drops a user's L1 entry only (tests, and a replica that wants to reload). */
  public void evictLocal(String userId) {
    l1.invalidate(userId);
  }
}
