package dev.engram.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Who wrote a message. Lower-case on the wire ({@code user}, {@code assistant}, {@code system}).
 */
public enum MessageRole {
  USER,
  ASSISTANT,
  SYSTEM;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the wire name; {@code null} or an unknown name throws {@link IllegalArgumentException}.
   */
  @JsonCreator
  public static MessageRole fromWire(String value) {
    if (value != null) {
      for (MessageRole role : values()) {
        if (role.wireName().equals(value)) {
          return role;
        }
      }
    }
    throw new IllegalArgumentException(
        "Unknown role '" + value + "': use user, assistant or system");
  }
}
