package dev.engram.session.api;

import dev.engram.session.config.SessionConfig;
import dev.engram.session.model.SessionEntity;
import dev.engram.session.service.Lifecycle;
import dev.engram.session.service.SessionService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Sessions of the authenticated user (the token's subject). */
@Path("/api/v1/sessions")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions")
@SecurityRequirement(name = "jwt")
public class SessionResource {

  private final SessionService service;
  private final JsonWebToken jwt;
  private final SessionConfig.Paging paging;

  public SessionResource(SessionService service, JsonWebToken jwt, SessionConfig config) {
    this.service = service;
    this.jwt = jwt;
    this.paging = config.paging();
  }

  @POST
  @Operation(summary = "Open a session")
  public Uni<RestResponse<SessionView>> create(@NotNull @Valid CreateSessionRequest request) {
    return service
        .create(
            jwt.getSubject(),
            request.title(),
            request.tags(),
            request.metadata(),
            request.parentSessionId())
        .map(
            session ->
                RestResponse.ResponseBuilder.<SessionView>created(
                        URI.create("/api/v1/sessions/" + session.id))
                    .entity(SessionView.of(session))
                    .build());
  }

  @GET
  @Operation(summary = "List sessions, newest first, filtered by status and tag")
  public Uni<PageView<SessionView>> list(
      @RestQuery String status,
      @RestQuery String tag,
      @RestQuery String limit,
      @RestQuery String cursor) {
    int size = Params.limit(limit, paging.defaultLimit(), paging.maxLimit());
    return service
        .list(
            jwt.getSubject(),
            Params.status(status),
            tag == null || tag.isBlank() ? null : tag,
            Params.sessionPosition(cursor),
            size + 1)
        .map(sessions -> page(sessions, size));
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "Get a session")
  public Uni<SessionView> get(@RestPath String id) {
    return service.get(jwt.getSubject(), Params.sessionId(id)).map(SessionView::of);
  }

  @PATCH
  @Path("/{id}")
  @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
  @Operation(summary = "Change a session's title, tags or metadata")
  public Uni<SessionView> update(
      @RestPath String id, @NotNull @Valid UpdateSessionRequest request) {
    return service
        .update(
            jwt.getSubject(),
            Params.sessionId(id),
            request.title(),
            request.tags(),
            request.metadata())
        .map(SessionView::of);
  }

  @POST
  @Path("/{id}/pause")
  @Operation(summary = "Pause an ACTIVE session")
  public Uni<SessionView> pause(@RestPath String id) {
    return transition(id, Lifecycle.PAUSE);
  }

  @POST
  @Path("/{id}/resume")
  @Operation(summary = "Resume a PAUSED session")
  public Uni<SessionView> resume(@RestPath String id) {
    return transition(id, Lifecycle.RESUME);
  }

  @POST
  @Path("/{id}/complete")
  @Operation(summary = "Complete an ACTIVE or PAUSED session")
  public Uni<SessionView> complete(@RestPath String id) {
    return transition(id, Lifecycle.COMPLETE);
  }

  @POST
  @Path("/{id}/archive")
  @Operation(summary = "Archive a COMPLETED session")
  public Uni<SessionView> archive(@RestPath String id) {
    return transition(id, Lifecycle.ARCHIVE);
  }

  @POST
  @Path("/{id}/link")
  @Operation(summary = "Make a session continue another of the user's sessions")
  public Uni<SessionView> link(@RestPath String id, @NotNull @Valid LinkRequest request) {
    return service
        .link(jwt.getSubject(), Params.sessionId(id), request.parentSessionId())
        .map(SessionView::of);
  }

  private Uni<SessionView> transition(String id, Lifecycle transition) {
    return service
        .transition(jwt.getSubject(), Params.sessionId(id), transition)
        .map(SessionView::of);
  }

  private static PageView<SessionView> page(List<SessionEntity> sessions, int size) {
    if (sessions.size() <= size) {
      return new PageView<>(sessions.stream().map(SessionView::of).toList(), null);
    }
    List<SessionEntity> shown = sessions.subList(0, size);
    SessionEntity last = shown.get(size - 1);
    return new PageView<>(
        shown.stream().map(SessionView::of).toList(),
        Params.sessionCursor(last.createdAt, last.id));
  }
}
