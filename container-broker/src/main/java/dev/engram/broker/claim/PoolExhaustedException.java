package dev.engram.broker.claim;

/** No warm instance, and the pool is at its maximum: the claim cannot be served now. */
public class PoolExhaustedException extends RuntimeException {

  public PoolExhaustedException(int maxTotal) {
    super("Every one of the pool's " + maxTotal + " instances is in use; try again shortly");
  }
}
