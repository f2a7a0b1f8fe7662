package dev.engram.memory.api;

import dev.engram.memory.messaging.IngestTracing;
import dev.engram.memory.service.MemoryService;
import dev.engram.memory.service.SearchHit;
import dev.engram.memory.service.SearchService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Hybrid search of the caller's memories. */
@Path("/api/v1/memories/search")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "memories")
@SecurityRequirement(name = "jwt")
public class SearchResource {

  private final SearchService search;
  private final MemoryService memories;
  private final CurrentUser user;
  private final IngestTracing tracing;

  public SearchResource(
      SearchService search, MemoryService memories, CurrentUser user, IngestTracing tracing) {
    this.search = search;
    this.memories = memories;
    this.user = user;
    this.tracing = tracing;
  }

  /** One ranked hit. */
  public record Hit(MemoryView memory, double score, SearchHit.Parts parts) {}

  /** The ranked hits, best first. */
  public record Result(List<Hit> hits) {}

  @POST
  @Operation(
      summary =
          "Hybrid search (dense + full-text, fused, re-ranked by recency and strength); reinforces"
              + " the hits")
  public Uni<Result> search(SearchRequest request) {
    if (request == null) {
      throw ApiException.invalid("query", "must not be blank");
    }
    var query = request.validate(user.id());
    return search
        .search(query, tracing.currentTraceparent())
        .map(
            hits ->
                new Result(
                    hits.stream()
                        .map(
                            h ->
                                new Hit(
                                    MemoryView.of(h.memory(), memories.curve(), memories.now()),
                                    h.score(),
                                    h.parts()))
                        .toList()));
  }
}
