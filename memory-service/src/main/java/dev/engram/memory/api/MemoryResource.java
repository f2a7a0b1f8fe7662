package dev.engram.memory.api;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.events.ReinforcementReason;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.messaging.IngestTracing;
import dev.engram.memory.model.Memory;
import dev.engram.memory.model.MemoryFilter;
import dev.engram.memory.model.NewMemory;
import dev.engram.memory.service.IngestService;
import dev.engram.memory.service.MemoryService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's memories: add, import, read, list, delete, reinforce. */
@Path("/api/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "memories")
@SecurityRequirement(name = "jwt")
public class MemoryResource {

  private final IngestService ingest;
  private final MemoryService memories;
  private final CurrentUser user;
  private final MemoryConfig config;
  private final IngestTracing tracing;

  public MemoryResource(
      IngestService ingest,
      MemoryService memories,
      CurrentUser user,
      MemoryConfig config,
      IngestTracing tracing) {
    this.ingest = ingest;
    this.memories = memories;
    this.user = user;
    this.config = config;
    this.tracing = tracing;
  }

  /** Batch of memories to import. */
  public record BatchRequest(List<CreateMemoryRequest> memories) {}

  /** What an import stored. */
  public record BatchResponse(List<MemoryView> created) {}

  @POST
  @Path("memories")
  @Operation(summary = "Add a memory (episodic by default); facts and procedures are extracted")
  public Uni<Response> create(CreateMemoryRequest request) {
    if (request == null) {
      throw ApiException.invalid("body", "a memory is required");
    }
    Checks checks = new Checks();
    request.check(checks, "", config.ingest().maxContentLength());
    checks.throwIfAny();
    return ingest
        .ingest(List.of(request.toNewMemory(user.id())), tracing.currentTraceparent())
        .map(
            stored -> {
              Memory first = stored.get(0);
              return Response.created(URI.create("/api/v1/memories/" + first.id()))
                  .entity(view(first))
                  .build();
            });
  }

  @POST
  @Path("memories:batch")
  @Operation(summary = "Import many memories at once (with occurredAt for imported history)")
  public Uni<Response> createBatch(BatchRequest request) {
    if (request == null || request.memories() == null || request.memories().isEmpty()) {
      throw ApiException.invalid("memories", "must list at least one memory");
    }
    if (request.memories().size() > config.ingest().maxBatch()) {
      throw ApiException.tooLarge(
          request.memories().size() + " memories; at most " + config.ingest().maxBatch());
    }
    Checks checks = new Checks();
    List<NewMemory> batch = new ArrayList<>();
    for (int i = 0; i < request.memories().size(); i++) {
      CreateMemoryRequest m = request.memories().get(i);
      if (m == null) {
        checks.require(false, "memories[" + i + "]", "must not be null");
        continue;
      }
      m.check(checks, "memories[" + i + "].", config.ingest().maxContentLength());
    }
    checks.throwIfAny();
    for (CreateMemoryRequest m : request.memories()) {
      batch.add(m.toNewMemory(user.id()));
    }
    return ingest
        .ingest(batch, tracing.currentTraceparent())
        .map(
            stored ->
                Response.status(201)
                    .entity(new BatchResponse(stored.stream().map(this::view).toList()))
                    .build());
  }

  @GET
  @Path("memories/{id}")
  @Operation(summary = "One memory")
  public Uni<MemoryView> get(@PathParam("id") String id) {
    return memories
        .find(user.id(), Ids.parse(id, "memory " + id))
        .map(m -> view(m.orElseThrow(() -> ApiException.notFound("memory " + id))));
  }

  @GET
  @Path("memories")
  @Operation(summary = "The caller's memories, newest first, with filters and cursor paging")
  public Uni<Page<MemoryView>> list(
      @QueryParam("type") List<String> types,
      @QueryParam("state") List<String> states,
      @QueryParam("sessionId") String sessionId,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    int size = Cursor.limit(limit);
    Cursor after = Cursor.decode(cursor);
    MemoryFilter filter =
        new MemoryFilter(
            Params.enums(types, MemoryType.class, "type"),
            Params.enums(states, MemoryState.class, "state"),
            Params.uuid(sessionId, "sessionId"),
            Params.instant(from, "from"),
            Params.instant(to, "to"));
    return memories
        .list(
            user.id(),
            filter,
            after == null ? null : after.createdAt(),
            after == null ? null : after.id(),
            size)
        .map(
            page -> {
              String next =
                  page.size() < size
                      ? null
                      : new Cursor(page.getLast().createdAt(), page.getLast().id()).encode();
              return new Page<>(page.stream().map(this::view).toList(), next);
            });
  }

  @DELETE
  @Path("memories/{id}")
  @Operation(summary = "Forget a memory now")
  public Uni<Response> delete(@PathParam("id") String id) {
    return memories
        .delete(user.id(), Ids.parse(id, "memory " + id))
        .map(
            deleted -> {
              if (!deleted) {
                throw ApiException.notFound("memory " + id);
              }
              return Response.noContent().build();
            });
  }

  /** Why a client reinforces: EXPLICIT (default) or REHEARSAL (it was used in a context). */
  public record ReinforceRequest(ReinforcementReason reason) {}

  @POST
  @Path("memories/{id}/reinforce")
  @Operation(summary = "Reinforce a memory explicitly (revives a decayed or archived one)")
  public Uni<MemoryView> reinforce(@PathParam("id") String id, ReinforceRequest request) {
    ReinforcementReason reason =
        request == null || request.reason() == null
            ? ReinforcementReason.EXPLICIT
            : request.reason();
    if (reason != ReinforcementReason.EXPLICIT && reason != ReinforcementReason.REHEARSAL) {
      throw ApiException.invalid("reason", "must be EXPLICIT or REHEARSAL");
    }
    return memories
        .reinforce(user.id(), Ids.parse(id, "memory " + id), reason)
        .map(m -> view(m.orElseThrow(() -> ApiException.notFound("memory " + id))));
  }

  private MemoryView view(Memory m) {
    return MemoryView.of(m, memories.curve(), memories.now());
  }
}
