package dev.engram.broker.api;

import dev.engram.broker.claim.ClaimWarmUp;
import dev.engram.broker.claim.ReservedUserException;
import dev.engram.broker.claim.ReservedUsers;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The user a caller of the broker's API acts as: the token's subject, unless that is one of the
 * broker's own users ({@link ReservedUsers}), which is refused (403) for everyone but this
 * replica's claim warm-up ({@link ClaimWarmUp#admits}).
 */
@ApplicationScoped
public class CallerGuard {

  private final ClaimWarmUp warmUp;

  CallerGuard(ClaimWarmUp warmUp) {
    this.warmUp = warmUp;
  }

  /** The caller's user id; throws {@link ReservedUserException} for a reserved one. */
  public String userOf(JsonWebToken jwt) {
    String subject = jwt.getSubject();
    if (ReservedUsers.isReserved(subject) && !warmUp.admits(jwt)) {
      throw new ReservedUserException();
    }
    return subject;
  }
}
