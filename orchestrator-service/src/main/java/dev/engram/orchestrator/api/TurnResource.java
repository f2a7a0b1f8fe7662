package dev.engram.orchestrator.api;

import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.turn.TurnRequest;
import dev.engram.orchestrator.service.turn.TurnRequests;
import dev.engram.orchestrator.service.turn.TurnResult;
import dev.engram.orchestrator.service.turn.TurnService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A whole turn without streaming: the same pipeline as the WebSocket, answered at once. */
@Path("/api/v1/turns")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TurnResource {

  private final TurnService turns;
  private final Callers callers;
  private final SecurityIdentity identity;
  private final int maxChars;

  public TurnResource(
      TurnService turns, Callers callers, SecurityIdentity identity, OrchestratorConfig config) {
    this.turns = turns;
    this.callers = callers;
    this.identity = identity;
    this.maxChars = config.context().maxMessageChars();
  }

  /** Body of {@code POST /api/v1/turns} ({@code timeZone}: the client's, optional). */
  public record TurnBody(UUID sessionId, String content, String timeZone) {}

  @POST
  @Operation(summary = "Run one turn and return the stored answer with its context summary")
  public Uni<TurnResult> turn(TurnBody body) {
    if (body == null) {
      throw ProblemException.malformed("A JSON body {sessionId?, content} is required");
    }
    TurnRequest request =
        TurnRequests.validate(new TurnRequest(body.sessionId(), body.content(), null), maxChars);
    return turns.run(request, callers.of(identity).withZone(TurnRequests.zone(body.timeZone())));
  }
}
