package dev.engram.broker.claim;

/** A call to an instance's internal API failed: unreachable, or an unexpected answer. */
public class InstanceCallException extends RuntimeException {

  private final int status;

  public InstanceCallException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status it answered, or 0 when it did not answer. */
  public int status() {
    return status;
  }

  /** The instance is bound to another user (409 on bind). */
  public boolean boundElsewhere() {
    return status == 409;
  }
}
