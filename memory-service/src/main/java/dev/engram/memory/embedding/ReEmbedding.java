package dev.engram.memory.embedding;

import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.model.NewMemory;
import dev.engram.memory.repository.EmbeddingModelRepository;
import dev.engram.memory.repository.EmbeddingModelRepository.Stale;
import dev.engram.memory.service.MessageContext;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Re-embeds, in the background, the memories whose vector another model made (after a change of
 * {@code engram.memory.embedding.model}): one bounded batch per tick, the same text as at ingest
 * (speaker, content, and the previous message of the session as context). Until a memory is
 * re-embedded, search finds it by its words only (its old vector is left out of the dense side).
 * Each user touched is dropped from the vector caches, so the next search loads the new vectors.
 * Once a scan finds nothing this replica looks again only every 10 minutes (a replica of the
 * previous release may still be writing during a rolling upgrade; this replica's own memories
 * always have the current model).
 */
@ApplicationScoped
public class ReEmbedding {

  private static final Logger LOG = Logger.getLogger(ReEmbedding.class);
  private static final long RECHECK_NANOS = java.time.Duration.ofMinutes(10).toNanos();

  private final EmbeddingModelRepository repository;
  private final Embedder embedder;
  private final VectorIndex index;
  private final MemoryConfig.Embedding settings;
  private final MemoryConfig.Ingest ingest;
  private volatile boolean started;
  private volatile boolean done;
  private volatile long doneAt;
  private long total;

  public ReEmbedding(
      EmbeddingModelRepository repository,
      Embedder embedder,
      VectorIndex index,
      MemoryConfig config) {
    this.repository = repository;
    this.embedder = embedder;
    this.index = index;
    this.settings = config.embedding();
    this.ingest = config.ingest();
  }

  void onStart(@Observes StartupEvent event) {
    started = true;
  }

  @Scheduled(
      every = "${engram.memory.embedding.reembed-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> tick() {
    if (!started || settings.reembedBatch() <= 0 || !embedder.ready()) {
      return Uni.createFrom().voidItem();
    }
    if (done && System.nanoTime() - doneAt < RECHECK_NANOS) {
      return Uni.createFrom().voidItem();
    }
    return batch()
        .invoke(
            n -> {
              if (n == 0) {
                if (total > 0) {
                  LOG.infof("Re-embedded %d memories with %s", total, embedder.modelId());
                  total = 0;
                }
                doneAt = System.nanoTime();
                done = true;
              } else {
                done = false;
                total += n;
              }
            })
        .onFailure()
        .invoke(e -> LOG.warnf("Re-embedding will retry: %s", e.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** Looks for memories of another model again (a test, or an operator after a restore). */
  public void rescan() {
    done = false;
  }

  /** Whether the last scan found every memory embedded by the current model. */
  public boolean done() {
    return done;
  }

  /** Re-embeds one batch; returns how many memories it took (0: none left). */
  public Uni<Integer> batch() {
    String model = embedder.modelId();
    return repository
        .stale(model, settings.reembedBatch())
        .flatMap(
            stale -> {
              if (stale.isEmpty()) {
                return Uni.createFrom().item(0);
              }
              List<String> texts = stale.stream().map(this::text).toList();
              return embedder
                  .embed(texts)
                  .flatMap(
                      vectors ->
                          repository.store(model, stale.stream().map(Stale::id).toList(), vectors))
                  .chain(() -> forget(stale))
                  .replaceWith(stale.size());
            });
  }

  private String text(Stale s) {
    String context =
        s.previous() != null && ingest.contextualEmbedding()
            ? MessageContext.context(s.previous(), ingest.contextChars())
            : null;
    return NewMemory.embeddingText(context, s.searchText());
  }

  private Uni<Void> forget(List<Stale> stale) {
    Set<String> users = new LinkedHashSet<>();
    stale.forEach(s -> users.add(s.userId()));
    return Multi.createFrom()
        .iterable(users)
        .onItem()
        .transformToUniAndConcatenate(index::forget)
        .collect()
        .last()
        .replaceWithVoid();
  }
}
