package dev.engram.orchestrator.api;

import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.binding.Binding;
import dev.engram.orchestrator.service.binding.BindingService;
import dev.engram.orchestrator.service.binding.BindingState;
import dev.engram.orchestrator.service.turn.TurnWarmUp;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The broker's side door: release this instance, erase a user here, and read its state (the bind is
 * {@link InternalBindRoute}, a plain Vert.x route). Only tokens in the {@code engram-broker} group
 * may call it.
 */
@Path("/internal/v1")
@RolesAllowed(InternalResource.BROKER_GROUP)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "internal", description = "Called by container-broker only")
public class InternalResource {

  /** The JWT group a broker token carries. */
  public static final String BROKER_GROUP = "engram-broker";

  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

  private final BindingService bindings;
  private final BindingState state;
  private final OrchestratorConfig config;
  private final TurnWarmUp warmUp;

  public InternalResource(
      BindingService bindings, BindingState state, OrchestratorConfig config, TurnWarmUp warmUp) {
    this.bindings = bindings;
    this.state = state;
    this.config = config;
    this.warmUp = warmUp;
  }

  /** Body of {@code POST /internal/v1/erase}. */
  public record EraseRequest(String userId) {}

  /** Answer of {@code GET /internal/v1/status} and {@code POST /internal/v1/release}. */
  public record Status(
      String state,
      String userId,
      Instant boundAt,
      Instant lastActivityAt,
      Instant startedAt,
      String instance,
      boolean warmedUp) {}

  @POST
  @Path("/release")
  @Operation(summary = "Snapshot the user's state to Redis, forget the user and return to unbound")
  public Uni<Status> release() {
    return bindings.release().map(released -> status());
  }

  @POST
  @Path("/erase")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Erase a user here: delete their snapshot from Redis and, if they are bound, forget them"
              + " without saving one (204; the broker calls it for every user.erased)")
  public Uni<Void> erase(EraseRequest request) {
    if (request == null) {
      throw ProblemException.malformed("A JSON body {userId} is required");
    }
    requireUserId(request.userId());
    return bindings.erase(request.userId());
  }

  static void requireUserId(String userId) {
    if (userId == null || !USER_ID.matcher(userId).matches()) {
      throw ProblemException.invalid(
          "userId", "must be 1-128 letters, digits, '.', '_', '@' or '-'");
    }
  }

  static void requireClaimId(String claimId) {
    if (claimId == null || claimId.isBlank() || claimId.length() > 256) {
      throw ProblemException.invalid("claimId", "is required (at most 256 characters)");
    }
  }

  @GET
  @Path("/status")
  @Operation(summary = "Binding state and last application activity")
  public Status status() {
    Binding binding = state.current().orElse(null);
    return new Status(
        binding == null ? "UNBOUND" : "BOUND",
        binding == null ? null : binding.userId(),
        binding == null ? null : binding.boundAt(),
        state.lastActivityAt().orElse(null),
        state.startedAt(),
        config.instanceName(),
        warmUp.warmedUp());
  }
}
