package dev.engram.memory.api;

import dev.engram.memory.messaging.IngestTracing;
import dev.engram.memory.service.MemoryService;
import dev.engram.memory.service.RecallService;
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

/**
 * A turn's recall in one call: the caller's memories matching a message and the procedures for it,
 * from one embedding of the message (instead of a search and a procedure lookup that embed it
 * each).
 */
@Path("/api/v1/recall")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "memories")
@SecurityRequirement(name = "jwt")
public class RecallResource {

  private final RecallService recall;
  private final MemoryService memories;
  private final CurrentUser user;
  private final IngestTracing tracing;

  public RecallResource(
      RecallService recall, MemoryService memories, CurrentUser user, IngestTracing tracing) {
    this.recall = recall;
    this.memories = memories;
    this.user = user;
    this.tracing = tracing;
  }

  /** The memory hits, best first (as a search answers them), and the procedures, best first. */
  public record Result(List<SearchResource.Hit> hits, List<MemoryView> procedures) {}

  @POST
  @Operation(
      summary =
          "Memories matching a message (ranked and reinforced as a search; with reinforce"
              + " false, nothing is reinforced and nothing changes) and procedures for it, from one"
              + " embedding of the message")
  public Uni<Result> recall(RecallRequest request) {
    if (request == null) {
      throw ApiException.invalid("query", "must not be blank");
    }
    var searched = request.memories(user.id());
    return recall
        .recall(searched, request.procedures(searched), tracing.currentTraceparent())
        .map(
            r ->
                new Result(
                    r.hits().stream()
                        .map(
                            h ->
                                new SearchResource.Hit(
                                    MemoryView.of(h.memory(), memories.curve(), memories.now()),
                                    h.score(),
                                    h.parts()))
                        .toList(),
                    r.procedures().stream()
                        .map(m -> MemoryView.of(m, memories.curve(), memories.now()))
                        .toList()));
  }
}
