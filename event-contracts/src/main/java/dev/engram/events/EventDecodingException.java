package dev.engram.events;

/** An event that this catalogue cannot interpret: malformed, of an unknown type or version. */
public class EventDecodingException extends RuntimeException {

  public EventDecodingException(String message) {
    super(message);
  }

  public EventDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
