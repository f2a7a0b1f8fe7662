package dev.engram.orchestrator.service.binding;

import java.time.ZoneId;
import java.util.List;

/**
 * A stable identity profile of the user, kept across sessions (in the user's snapshot): name and
 * preferences from memory-service's facts, style observed from the user's own messages, and the
 * time zone the user's client last sent.
 *
 * @param messages how many of the user's messages the style is based on
 * @param averageChars mean message length
 * @param questionShare share of messages that ask something
 * @param timeZone the time zone of the user's last turn that named one (null: none yet)
 */
public record UserProfile(
    String name,
    List<String> preferences,
    long messages,
    double averageChars,
    double questionShare,
    ZoneId timeZone) {

  public static final UserProfile EMPTY = new UserProfile(null, List.of(), 0, 0, 0, null);

  public UserProfile {
    preferences = preferences == null ? List.of() : List.copyOf(preferences);
  }

  /** Whether nothing is known of the user yet. */
  public boolean isEmpty() {
    return name == null && preferences.isEmpty() && messages == 0 && timeZone == null;
  }

  /** The profile after one more message of the user. */
  public UserProfile observe(String message) {
    long n = messages + 1;
    double chars = averageChars + (message.length() - averageChars) / n;
    double questions = questionShare + ((message.contains("?") ? 1 : 0) - questionShare) / n;
    return new UserProfile(name, preferences, n, chars, questions, timeZone);
  }

  /** The profile remembering {@code zone} (unchanged when it is null). */
  public UserProfile withTimeZone(ZoneId zone) {
    return zone == null || zone.equals(timeZone)
        ? this
        : new UserProfile(name, preferences, messages, averageChars, questionShare, zone);
  }

  /** The profile with name and preferences from the user's facts. */
  public UserProfile withFacts(String factName, List<String> factPreferences) {
    return new UserProfile(
        factName != null ? factName : name,
        factPreferences.isEmpty() ? preferences : factPreferences,
        messages,
        averageChars,
        questionShare,
        timeZone);
  }

  /** One line for the context, or {@code null} when nothing is known yet. */
  public String describe() {
    if (isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    if (name != null) {
      out.append("name: ").append(name).append("; ");
    }
    if (!preferences.isEmpty()) {
      out.append("prefers: ").append(String.join(", ", preferences)).append("; ");
    }
    if (messages > 0) {
      out.append("style: ")
          .append(averageChars < 80 ? "brief" : averageChars < 300 ? "moderate" : "detailed")
          .append(" messages")
          .append(questionShare > 0.5 ? ", asks many questions" : "");
    }
    return out.toString().replaceAll("; $", "");
  }
}
