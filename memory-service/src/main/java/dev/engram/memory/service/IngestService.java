package dev.engram.memory.service;

import dev.engram.events.MemoryState;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.index.ScoredId;
import dev.engram.memory.index.UserVectors;
import dev.engram.memory.index.VectorFilter;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.index.VectorMath;
import dev.engram.memory.model.Memory;
import dev.engram.memory.model.NewMemory;
import dev.engram.memory.model.StoredMemory;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Stores new memories, from Kafka messages or the REST API: gives each message its context (the
 * previous message of its session), extracts facts and procedures and embeds everything ({@link
 * IngestEmbedding}), then writes each user's share in one transaction and updates the vector index,
 * so a memory is searchable as soon as this returns. A large batch goes step by step, the next step
 * embedded while the previous one is written.
 */
@ApplicationScoped
public class IngestService {

  private final IngestEmbedding embedding;
  private final VectorIndex index;
  private final MessageContext context;
  private final IngestWriter writer;
  private final int step;

  public IngestService(
      IngestEmbedding embedding,
      VectorIndex index,
      MessageContext context,
      IngestWriter writer,
      MemoryConfig config) {
    this.embedding = embedding;
    this.index = index;
    this.context = context;
    this.writer = writer;
    this.step = config.ingest().pipelineStep();
  }

  /** Stores the memories not stored before (by source event id); returns what was stored. */
  @WithSpan("IngestService.ingest")
  public Uni<List<Memory>> ingest(List<NewMemory> batch, String traceparent) {
    List<NewMemory> unique = distinctEvents(batch);
    if (unique.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return context.withContext(unique).flatMap(items -> embedAndStore(items, traceparent));
  }

  /**
   * Embeds and stores the items step by step ({@code pipeline-step} messages each): while one step
   * is written, the next one is embedded. Writes stay in batch order (so each user's order holds),
   * and the returned Uni completes only once every step was written, so the caller acknowledges
   * nothing that is not stored. A failed write fails the whole call (the caller retries it; steps
   * already written are skipped then by their event ids).
   */
  private Uni<List<Memory>> embedAndStore(List<NewMemory> items, String traceparent) {
    int size = Math.max(1, step);
    List<List<NewMemory>> steps = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) {
      steps.add(items.subList(from, Math.min(items.size(), from + size)));
    }
    return storeSteps(steps, 0, embedding(steps.get(0)), traceparent, new ArrayList<>());
  }

  /** Starts embedding a step at once (not on subscription), so it runs while a write does. */
  private Uni<Map<String, List<Prepared>>> embedding(List<NewMemory> step) {
    CompletableFuture<Map<String, List<Prepared>>> started =
        embedding.prepare(step).subscribeAsCompletionStage();
    return Uni.createFrom().completionStage(started);
  }

  private Uni<List<Memory>> storeSteps(
      List<List<NewMemory>> steps,
      int i,
      Uni<Map<String, List<Prepared>>> prepared,
      String traceparent,
      List<Memory> stored) {
    return prepared.flatMap(
        byUser -> {
          Uni<Map<String, List<Prepared>>> next =
              i + 1 < steps.size() ? embedding(steps.get(i + 1)) : null;
          return Multi.createFrom()
              .iterable(byUser.entrySet())
              .onItem()
              .transformToUniAndConcatenate(
                  e -> storeForUser(e.getKey(), e.getValue(), traceparent))
              .collect()
              .in(() -> stored, List::addAll)
              .flatMap(
                  all ->
                      next == null
                          ? Uni.createFrom().item(all)
                          : storeSteps(steps, i + 1, next, traceparent, all));
        });
  }

  private Uni<List<Memory>> storeForUser(String userId, List<Prepared> items, String traceparent) {
    return index
        .vectors(userId)
        .map(vectors -> withNearest(vectors, items))
        .flatMap(prepared -> writer.write(userId, prepared, traceparent))
        .flatMap(
            plan -> {
              if (plan == null) {
                return Uni.createFrom().item(List.<Memory>of());
              }
              List<Memory> stored = plan.memories.stream().map(StoredMemory::memory).toList();
              return index
                  .changed(
                      userId,
                      v -> {
                        v.put(plan.vectorEntries());
                        plan.archived.forEach(id -> v.state(id, MemoryState.ARCHIVED));
                        plan.traceUpdates.forEach(u -> v.state(u.id(), u.state()));
                      })
                  .replaceWith(stored);
            });
  }

  /** Each item with the user's most similar live memory, earlier items of the batch included. */
  private static List<Prepared> withNearest(UserVectors vectors, List<Prepared> items) {
    List<Prepared> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Prepared p = items.get(i);
      List<ScoredId> hits =
          vectors.search(p.vector(), 1, VectorFilter.live(), null, Integer.MAX_VALUE);
      ScoredId nearest = hits.isEmpty() ? null : hits.get(0);
      float inBatch = -2;
      for (int j = 0; j < i; j++) {
        inBatch = Math.max(inBatch, VectorMath.dot(p.vector(), items.get(j).vector()));
      }
      if (inBatch > -2 && (nearest == null || inBatch > nearest.score())) {
        // an earlier message of the same batch is nearer; it is new, so nothing to reinforce
        nearest = new ScoredId(new java.util.UUID(0, 0), inBatch);
      }
      out.add(new Prepared(p.memory(), p.vector(), nearest, p.facts(), p.procedure()));
    }
    return out;
  }

  private static List<NewMemory> distinctEvents(List<NewMemory> batch) {
    Set<String> seen = new LinkedHashSet<>();
    List<NewMemory> out = new ArrayList<>(batch.size());
    for (NewMemory m : batch) {
      if (m.sourceEventId() == null || seen.add(m.sourceEventId())) {
        out.add(m);
      }
    }
    return out;
  }
}
