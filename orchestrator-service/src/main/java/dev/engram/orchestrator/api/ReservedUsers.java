package dev.engram.orchestrator.api;

/**
 * User ids container-broker keeps for itself ({@code .engram-prime} when it primes a new instance,
 * {@code .engram-warmup-*} for its claim warm-up). The broker may bind an instance to one through
 * the internal API, but no caller from outside is served as one: a user token with such a subject
 * is refused (403 {@code reserved-user}) on every user-facing path, also while the instance is
 * bound to that very user.
 */
public final class ReservedUsers {

  /** What every reserved user id starts with (the broker's {@code ReservedUsers.PREFIX}). */
  public static final String PREFIX = ".engram-";

  private ReservedUsers() {}

  public static boolean isReserved(String userId) {
    return userId != null && userId.startsWith(PREFIX);
  }
}
