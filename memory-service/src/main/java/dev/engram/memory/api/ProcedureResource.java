package dev.engram.memory.api;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.memory.model.MemoryFilter;
import dev.engram.memory.service.MemoryService;
import dev.engram.memory.service.SearchQuery;
import dev.engram.memory.service.SearchService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's procedural memories: how to do things, and how well that worked. */
@Path("/api/v1/procedures")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "procedures")
@SecurityRequirement(name = "jwt")
public class ProcedureResource {

  private final SearchService search;
  private final MemoryService memories;
  private final CurrentUser user;

  public ProcedureResource(SearchService search, MemoryService memories, CurrentUser user) {
    this.search = search;
    this.memories = memories;
    this.user = user;
  }

  /** The outcome of following a procedure. */
  public record Outcome(Boolean success) {}

  @GET
  @Operation(summary = "Procedures for a task (best match first), or the newest without a task")
  public Uni<List<MemoryView>> find(
      @QueryParam("task") String task, @QueryParam("limit") Integer limit) {
    int size = Math.min(Cursor.limit(limit), 100);
    MemoryFilter filter =
        new MemoryFilter(
            Set.of(MemoryType.PROCEDURAL),
            Set.of(MemoryState.ACTIVE, MemoryState.CONSOLIDATED),
            null,
            null,
            null);
    if (task == null || task.isBlank()) {
      return memories
          .list(user.id(), filter, null, null, size)
          .map(list -> list.stream().map(this::view).toList());
    }
    if (task.length() > SearchRequest.MAX_QUERY) {
      throw ApiException.invalid("task", "must be at most 2000 characters");
    }
    return search
        .search(new SearchQuery(user.id(), task.strip(), size, filter), null)
        .map(hits -> hits.stream().map(h -> view(h.memory())).toList());
  }

  @POST
  @Path("{id}/outcome")
  @Operation(summary = "Record that following the procedure succeeded or failed")
  public Uni<MemoryView> outcome(@PathParam("id") String id, Outcome outcome) {
    if (outcome == null || outcome.success() == null) {
      throw ApiException.invalid("success", "is required (true or false)");
    }
    return memories
        .recordOutcome(user.id(), Ids.parse(id, "procedure " + id), outcome.success())
        .map(m -> view(m.orElseThrow(() -> ApiException.notFound("procedure " + id))));
  }

  private MemoryView view(dev.engram.memory.model.Memory m) {
    return MemoryView.of(m, memories.curve(), memories.now());
  }
}
