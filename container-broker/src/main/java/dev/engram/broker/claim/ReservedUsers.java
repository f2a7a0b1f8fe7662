package dev.engram.broker.claim;

/**
 * User ids the broker keeps for itself: {@value #PREFIX}{@code warmup-<suffix>} (the claim warm-up,
 * {@link ClaimWarmUp}) and {@value #PREFIX}{@code prime} (priming new instances, {@link
 * OrchestratorClient}). No caller from outside may act as one: the gateway and the broker's API
 * refuse such a token's subject ({@link ReservedUserException}, 403), and no development token is
 * minted for one.
 */
public final class ReservedUsers {

  /** What every reserved user id starts with. */
  public static final String PREFIX = ".engram-";

  private ReservedUsers() {}

  /** Whether {@code userId} is one of the broker's own users. */
  public static boolean isReserved(String userId) {
    return userId != null && userId.startsWith(PREFIX);
  }
}
