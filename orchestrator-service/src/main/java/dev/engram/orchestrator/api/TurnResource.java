package dev.engram.orchestrator.api;

import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.turn.Submission;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestResponse;

/** A whole turn without streaming: the same pipeline as the WebSocket, answered at once. */
@Path("/api/v1/turns")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TurnResource {

  /** The request header that makes a turn idempotent. */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The response header that marks the answer to a repeated {@code Idempotency-Key}. */
  static final String REPLAYED = "Idempotent-Replayed";

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
  @Operation(
      summary = "Run one turn and return the stored answer with its context summary",
      description =
          "With an Idempotency-Key header (the same ids as the WebSocket's clientMessageId), a"
              + " repeat returns the first request's turn (waiting for it if it is still running)"
              + " with the header Idempotent-Replayed: true, and runs no second turn; the same key"
              + " with another content or session is 422 (idempotency-key-reused).")
  @Parameter(
      name = IDEMPOTENCY_KEY,
      in = ParameterIn.HEADER,
      description =
          "The client's id for this message, 1 to 128 printable ASCII characters (a UUID, say)")
  public Uni<RestResponse<TurnResult>> turn(TurnBody body, HttpHeaders headers) {
    if (body == null) {
      throw ProblemException.malformed("A JSON body {sessionId?, content} is required");
    }
    String key =
        TurnRequests.idempotencyKey(IDEMPOTENCY_KEY, headers.getHeaderString(IDEMPOTENCY_KEY));
    TurnRequest request =
        TurnRequests.validate(new TurnRequest(body.sessionId(), body.content(), key), maxChars);
    Submission submitted =
        turns.submit(request, callers.of(identity).withZone(TurnRequests.zone(body.timeZone())));
    return switch (submitted) {
      case Submission.Started started -> started.outcome().map(RestResponse::ok);
      case Submission.Running running -> running.outcome().map(TurnResource::replayed);
      case Submission.Completed completed -> Uni.createFrom().item(replayed(completed.result()));
    };
  }

  private static RestResponse<TurnResult> replayed(TurnResult result) {
    return RestResponse.ResponseBuilder.ok(result).header(REPLAYED, "true").build();
  }
}
