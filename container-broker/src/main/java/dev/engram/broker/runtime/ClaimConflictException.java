package dev.engram.broker.runtime;

/** A claim lost the race for an instance: it changed (or vanished) since it was observed. */
public class ClaimConflictException extends RuntimeException {

  public ClaimConflictException(String instance) {
    super("Instance " + instance + " changed since it was observed");
  }
}
