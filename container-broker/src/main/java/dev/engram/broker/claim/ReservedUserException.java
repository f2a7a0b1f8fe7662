package dev.engram.broker.claim;

/** A caller from outside presented a token for one of the broker's own users (403). */
public class ReservedUserException extends RuntimeException {

  public ReservedUserException() {
    super(
        "User ids starting with "
            + ReservedUsers.PREFIX
            + " are reserved for the broker itself and cannot be used from outside");
  }
}
