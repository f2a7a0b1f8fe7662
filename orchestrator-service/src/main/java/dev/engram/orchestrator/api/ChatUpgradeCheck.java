package dev.engram.orchestrator.api;

import dev.engram.orchestrator.service.binding.BindingState;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses a WebSocket upgrade before it happens: 503 while unbound, 401 without a valid token, 403
 * for a user other than the bound one and for the broker's own users ({@link ReservedUsers}).
 */
@ApplicationScoped
public class ChatUpgradeCheck implements HttpUpgradeCheck {

  private final BindingState state;

  public ChatUpgradeCheck(BindingState state) {
    this.state = state;
  }

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    var binding = state.current();
    if (binding.isEmpty()) {
      return CheckResult.rejectUpgrade(503);
    }
    return context
        .securityIdentity()
        .map(
            identity -> {
              if (identity == null
                  || identity.isAnonymous()
                  || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
                return CheckResult.rejectUpgradeSync(401);
              }
              return binding.get().userId().equals(jwt.getSubject())
                      && !ReservedUsers.isReserved(jwt.getSubject())
                  ? CheckResult.permitUpgradeSync()
                  : CheckResult.rejectUpgradeSync(403);
            })
        .onFailure()
        .recoverWithItem(CheckResult.rejectUpgradeSync(401));
  }
}
