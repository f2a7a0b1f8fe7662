package dev.engram.orchestrator.api;

import dev.engram.orchestrator.client.SessionClient;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.context.ContextItem;
import dev.engram.orchestrator.service.context.DroppedItem;
import dev.engram.orchestrator.service.context.TimeRange;
import dev.engram.orchestrator.service.turn.Built;
import dev.engram.orchestrator.service.turn.Caller;
import dev.engram.orchestrator.service.turn.ContextStage;
import dev.engram.orchestrator.service.turn.TurnRequests;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Shows the context a message would get, with why each item is in it or left out. */
@Path("/api/v1/context/preview")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ContextResource {

  private final ContextStage stage;
  private final SessionClient sessions;
  private final UserState user;
  private final Callers callers;
  private final SecurityIdentity identity;

  public ContextResource(
      ContextStage stage,
      SessionClient sessions,
      UserState user,
      Callers callers,
      SecurityIdentity identity) {
    this.stage = stage;
    this.sessions = sessions;
    this.user = user;
    this.callers = callers;
    this.identity = identity;
  }

  /**
   * One included item with its estimated size (as the prompt shows it: with its {@code date}, the
   * day a memory refers to, before the text).
   */
  public record PreviewItem(
      String source,
      String key,
      String role,
      String text,
      java.time.LocalDate date,
      int tokens,
      double score,
      String why) {
    static PreviewItem of(ContextItem item) {
      return new PreviewItem(
          item.source().label(),
          item.key(),
          item.role(),
          item.text(),
          item.date(),
          item.tokens(),
          item.score(),
          item.why());
    }
  }

  /** One item left out, and why ({@code budget} or {@code duplicate}). */
  public record PreviewDropped(String source, String key, int tokens, String reason) {
    static PreviewDropped of(DroppedItem item) {
      return new PreviewDropped(item.source().label(), item.key(), item.tokens(), item.reason());
    }
  }

  /** The preview. */
  public record Preview(
      UUID sessionId,
      String query,
      int budget,
      int tokens,
      TimeRange timeRange,
      List<String> instructions,
      List<PreviewItem> items,
      List<PreviewDropped> dropped,
      List<String> degraded) {}

  @GET
  @Operation(summary = "The context that would be built for q in the session, with reasons")
  public Uni<Preview> preview(
      @QueryParam("sessionId") String sessionParam,
      @QueryParam("q") String q,
      @QueryParam("timeZone") String timeZone) {
    UUID sessionId = uuid(sessionParam);
    if (q == null || q.isBlank()) {
      throw ProblemException.invalid("q", "is required");
    }
    if (q.length() > 4000) {
      throw ProblemException.invalid("q", "must be at most 4000 characters");
    }
    Caller caller = callers.of(identity).withZone(TurnRequests.zone(timeZone));
    UUID id = sessionId != null ? sessionId : user.sessionId();
    Uni<SessionView> session =
        id == null ? Uni.createFrom().nullItem() : sessions.get(id, caller.bearer());
    return session.flatMap(s -> stage.preview(s, q, caller)).map(built -> preview(id, q, built));
  }

  /** The session id parameter (a malformed one is a 400 naming it, not a 404). */
  private static UUID uuid(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("sessionId", "must be a UUID");
    }
  }

  private static Preview preview(UUID sessionId, String q, Built built) {
    return new Preview(
        sessionId,
        q,
        built.context().budget(),
        built.context().tokens(),
        built.range(),
        built.context().instructions(),
        built.context().items().stream().map(PreviewItem::of).toList(),
        built.context().dropped().stream().map(PreviewDropped::of).toList(),
        built.degraded());
  }
}
