package dev.engram.orchestrator.api;

import dev.engram.orchestrator.service.binding.BindingState;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards every user-facing REST endpoint ({@code /api/...}): 503 while the instance is unbound, 403
 * when the token's subject is not the bound user or is one of the broker's own ({@link
 * ReservedUsers}). Requests without a valid token pass on to the endpoint's {@code @Authenticated},
 * which answers 401.
 */
public class BoundUserFilter {

  private final BindingState state;
  private final CurrentIdentityAssociation identities;

  public BoundUserFilter(BindingState state, CurrentIdentityAssociation identities) {
    this.state = state;
    this.identities = identities;
  }

  @ServerRequestFilter
  public Uni<Response> guard(ContainerRequestContext request) {
    if (!request.getUriInfo().getPath().startsWith("/api/")) {
      return Uni.createFrom().nullItem();
    }
    var binding = state.current();
    if (binding.isEmpty()) {
      return Uni.createFrom().item(ProblemMapper.response(ProblemException.unbound().problem()));
    }
    return identities
        .getDeferredIdentity()
        .map(
            identity -> {
              if (identity.isAnonymous()
                  || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
                return null;
              }
              if (ReservedUsers.isReserved(jwt.getSubject())) {
                return ProblemMapper.response(ProblemException.reservedUser().problem());
              }
              if (binding.get().userId().equals(jwt.getSubject())) {
                return null;
              }
              return ProblemMapper.response(
                  ProblemException.forbidden("This instance serves another user").problem());
            })
        .onFailure()
        .recoverWithNull();
  }
}
