package dev.engram.orchestrator.api;

import dev.engram.orchestrator.service.binding.BindingState;
import dev.engram.orchestrator.service.turn.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The {@link Caller} of a user-facing request: the bound user, after checking that the token's
 * subject is that user (503 when unbound, 403 for anyone else and for the broker's own users).
 */
@ApplicationScoped
public class Callers {

  private final BindingState state;

  public Callers(BindingState state) {
    this.state = state;
  }

  /** The caller behind {@code identity}, which must be the bound user. */
  public Caller of(SecurityIdentity identity) {
    var binding = state.current().orElseThrow(ProblemException::unbound);
    if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      throw ProblemException.forbidden("A user token is required");
    }
    if (ReservedUsers.isReserved(jwt.getSubject())) {
      throw ProblemException.reservedUser();
    }
    if (!binding.userId().equals(jwt.getSubject())) {
      throw ProblemException.forbidden("This instance serves another user");
    }
    return new Caller(jwt.getSubject(), jwt.getRawToken(), binding);
  }
}
