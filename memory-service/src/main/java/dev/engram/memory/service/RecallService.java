package dev.engram.memory.service;

import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.model.Memory;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * What a turn recalls for a message: the memories matching it (the hybrid search of {@link
 * SearchService}, same ranking, same reinforcement: none when the query asks for none) and the
 * procedures for it, both from one embedding of the query, searched side by side over the user's
 * vectors, loaded once.
 */
@ApplicationScoped
public class RecallService {

  private final Embedder embedder;
  private final SearchService search;
  private final VectorIndex index;
  private final RecallStages stages;

  public RecallService(
      Embedder embedder, SearchService search, VectorIndex index, RecallStages stages) {
    this.embedder = embedder;
    this.search = search;
    this.index = index;
    this.stages = stages;
  }

  /** The hits of {@code memories} and, best first, the procedures of {@code procedures}. */
  public record Recalled(List<SearchHit> hits, List<Memory> procedures) {}

  /**
   * Recalls for one query text ({@code memories} and {@code procedures} carry the same one).
   *
   * @param procedures the procedure search, or null for none
   */
  @WithSpan("RecallService.recall")
  public Uni<Recalled> recall(SearchQuery memories, SearchQuery procedures, String traceparent) {
    RecallStages.Trace trace = stages.start();
    // the user's vectors are made current while the query is embedded, so that the two searches
    // below find them in memory rather than both loading them
    return Uni.combine()
        .all()
        .unis(
            trace.time(RecallStages.Stage.EMBED, embedder.embedQuery(memories.query())),
            trace.time(RecallStages.Stage.VECTORS, index.vectors(memories.userId())))
        .with((vector, vectors) -> vector)
        .flatMap(
            vector -> {
              Uni<List<SearchHit>> hits = search.search(memories, vector, traceparent, trace);
              if (procedures == null) {
                return hits.map(h -> new Recalled(h, List.of()));
              }
              Uni<List<SearchHit>> found = search.search(procedures, vector, traceparent, trace);
              return Uni.combine()
                  .all()
                  .unis(hits, found)
                  .with((h, p) -> new Recalled(h, p.stream().map(SearchHit::memory).toList()));
            })
        .invoke(() -> trace.end(memories.userId()));
  }
}
