package dev.engram.orchestrator.api;

import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.stm.WorkingItem;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The bound user's short-term memory: the working set, most active first. */
@Path("/api/v1/stm")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class StmResource {

  private final UserState user;
  private final Callers callers;
  private final SecurityIdentity identity;

  public StmResource(UserState user, Callers callers, SecurityIdentity identity) {
    this.user = user;
    this.callers = callers;
    this.identity = identity;
  }

  /** The working set. */
  public record Stm(long turn, int capacity, UUID sessionId, List<WorkingItem> items) {}

  @GET
  @Operation(summary = "The working set with activations and attention scores")
  public Stm stm() {
    callers.of(identity);
    return new Stm(user.stm().turn(), user.stm().capacity(), user.sessionId(), user.stm().items());
  }
}
