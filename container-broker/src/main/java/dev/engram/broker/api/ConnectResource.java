package dev.engram.broker.api;

import dev.engram.broker.claim.ConnectService;
import dev.engram.broker.claim.Connection;
import dev.engram.broker.claim.Releaser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A user connects to (claims) their own instance, and releases it. The broker's own users are
 * refused (403 {@code reserved-user}; {@link CallerGuard}).
 */
@Path("/api/v1/connect")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ConnectResource {

  private final ConnectService connections;
  private final Releaser releaser;
  private final JsonWebToken jwt;
  private final CallerGuard guard;

  ConnectResource(
      ConnectService connections, Releaser releaser, JsonWebToken jwt, CallerGuard guard) {
    this.connections = connections;
    this.releaser = releaser;
    this.jwt = jwt;
    this.guard = guard;
  }

  /** Binds the caller to an instance (the same one when already bound). */
  @POST
  public Uni<Connection> connect() {
    return connections.connect(guard.userOf(jwt));
  }

  /** Releases the caller's instance (their short-term memory is snapshotted first). */
  @DELETE
  public Uni<Response> release() {
    return releaser
        .releaseUser(guard.userOf(jwt))
        .map(
            released -> {
              if (!released) {
                throw new NotFoundException("You have no instance");
              }
              return Response.noContent().build();
            });
  }
}
