package dev.engram.memory.service;

import dev.engram.events.MemoryState;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.facts.ExtractedFact;
import dev.engram.memory.facts.ExtractedProcedure;
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
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stores new memories, from Kafka messages or the REST API: gives each message its context (the
 * previous message of its session), extracts facts and procedures, embeds everything in one batched
 * model call, then writes each user's share in one transaction and updates the vector index, so a
 * memory is searchable as soon as this returns.
 */
@ApplicationScoped
public class IngestService {

  private final Embedder embedder;
  private final VectorIndex index;
  private final MessageContext context;
  private final IngestWriter writer;
  private final Extraction extraction;

  public IngestService(
      Embedder embedder,
      VectorIndex index,
      MessageContext context,
      IngestWriter writer,
      Extraction extraction) {
    this.embedder = embedder;
    this.index = index;
    this.context = context;
    this.writer = writer;
    this.extraction = extraction;
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

  private Uni<List<Memory>> embedAndStore(List<NewMemory> items, String traceparent) {
    List<List<ExtractedFact>> facts = new ArrayList<>();
    List<Optional<ExtractedProcedure>> procedures = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (NewMemory m : items) {
      texts.add(m.embeddingText());
      List<ExtractedFact> found = extraction.facts(m);
      facts.add(found);
      if (m.fact() == null) {
        found.forEach(f -> texts.add(f.sentence()));
      }
      Optional<ExtractedProcedure> procedure = extraction.procedure(m);
      procedures.add(procedure);
      procedure.ifPresent(p -> texts.add(p.task() + ": " + String.join("; ", p.steps())));
    }
    return embedder
        .embed(texts)
        .flatMap(
            vectors -> {
              Map<String, List<Prepared>> byUser = new LinkedHashMap<>();
              int next = 0;
              for (int i = 0; i < items.size(); i++) {
                NewMemory m = items.get(i);
                float[] vector = vectors[next++];
                List<Prepared.PreparedFact> pf = new ArrayList<>();
                for (ExtractedFact f : facts.get(i)) {
                  // a client's explicit fact is the memory itself: it shares its vector
                  pf.add(new Prepared.PreparedFact(f, m.fact() != null ? vector : vectors[next++]));
                }
                Prepared.PreparedProcedure pp = null;
                if (procedures.get(i).isPresent()) {
                  pp = new Prepared.PreparedProcedure(procedures.get(i).get(), vectors[next++]);
                }
                byUser
                    .computeIfAbsent(m.userId(), u -> new ArrayList<>())
                    .add(new Prepared(m, vector, null, pf, pp));
              }
              return Multi.createFrom()
                  .iterable(byUser.entrySet())
                  .onItem()
                  .transformToUniAndConcatenate(
                      e -> storeForUser(e.getKey(), e.getValue(), traceparent))
                  .collect()
                  .in(ArrayList<Memory>::new, List::addAll);
            });
  }

  private Uni<List<Memory>> storeForUser(String userId, List<Prepared> items, String traceparent) {
    return index
        .vectors(userId)
        // the nearest-neighbour scans are CPU work: never on an event loop (a user's vectors may
        // come back on one, and so does every user's after the first, from the previous write),
        // where they would hold up the searches and requests it serves
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(vectors -> withNearest(vectors, items))
        .flatMap(prepared -> writer.write(userId, prepared, traceparent))
        .flatMap(
            plan -> {
              if (plan == null) {
                return Uni.createFrom().item(List.<Memory>of());
              }
              List<Memory> stored = plan.memories.stream().map(StoredMemory::memory).toList();
              // the rows it altered: the ones it archived and the ones it reinforced (repetition)
              Set<java.util.UUID> touched = new LinkedHashSet<>(plan.archived);
              plan.traceUpdates.forEach(u -> touched.add(u.id()));
              return index
                  .changed(
                      userId,
                      v -> {
                        v.put(plan.vectorEntries());
                        plan.archived.forEach(id -> v.state(id, MemoryState.ARCHIVED));
                        plan.traceUpdates.forEach(u -> v.state(u.id(), u.state()));
                      },
                      touched)
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
