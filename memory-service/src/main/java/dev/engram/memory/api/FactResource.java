package dev.engram.memory.api;

import dev.engram.events.FactCategory;
import dev.engram.memory.model.Fact;
import dev.engram.memory.repository.FactRepository;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's semantic facts. */
@Path("/api/v1/facts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "facts")
@SecurityRequirement(name = "jwt")
public class FactResource {

  private final FactRepository facts;
  private final CurrentUser user;

  public FactResource(FactRepository facts, CurrentUser user) {
    this.facts = facts;
    this.user = user;
  }

  @GET
  @Operation(
      summary =
          "Current facts, newest first (history=true adds superseded ones, with validTo and"
              + " supersededBy)")
  public Uni<Page<Fact>> list(
      @QueryParam("category") String category,
      @QueryParam("subject") String subject,
      @QueryParam("history") boolean history,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    int size = Cursor.limit(limit);
    Cursor after = Cursor.decode(cursor);
    return facts
        .list(
            user.id(),
            Params.oneEnum(category, FactCategory.class, "category"),
            subject == null || subject.isBlank() ? null : subject,
            history,
            after == null ? null : after.createdAt(),
            after == null ? null : after.id(),
            size)
        .map(
            page ->
                new Page<>(
                    page,
                    page.size() < size
                        ? null
                        : new Cursor(page.getLast().createdAt(), page.getLast().id()).encode()));
  }
}
