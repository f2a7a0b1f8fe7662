package dev.engram.orchestrator.service.context;

import java.util.Map;

/**
 * How many units a time phrase counts: digits, a number word, {@code a}/{@code an}, or an
 * approximate amount ({@code a couple of} 2, {@code a few} 3, {@code several} 5).
 */
final class Amounts {

  private static final Map<String, Integer> WORDS =
      Map.ofEntries(
          Map.entry("a", 1),
          Map.entry("an", 1),
          Map.entry("one", 1),
          Map.entry("two", 2),
          Map.entry("three", 3),
          Map.entry("four", 4),
          Map.entry("five", 5),
          Map.entry("six", 6),
          Map.entry("seven", 7),
          Map.entry("eight", 8),
          Map.entry("nine", 9),
          Map.entry("ten", 10),
          Map.entry("eleven", 11),
          Map.entry("twelve", 12),
          Map.entry("thirteen", 13),
          Map.entry("fourteen", 14),
          Map.entry("fifteen", 15),
          Map.entry("sixteen", 16),
          Map.entry("seventeen", 17),
          Map.entry("eighteen", 18),
          Map.entry("nineteen", 19),
          Map.entry("twenty", 20),
          Map.entry("thirty", 30));

  private static final Map<String, Integer> APPROXIMATE =
      Map.of(
          "a couple of", 2,
          "a couple", 2,
          "couple of", 2,
          "a few", 3,
          "few", 3,
          "several", 5);

  /** A regular expression (without a group) matching every amount: approximate ones first. */
  static final String NUMBER =
      String.join(
              "|", APPROXIMATE.keySet().stream().sorted((a, b) -> b.length() - a.length()).toList())
          + "|\\d{1,3}|"
          + String.join(
              "|", WORDS.keySet().stream().sorted((a, b) -> b.length() - a.length()).toList());

  private Amounts() {}

  /** The number {@code amount} says (an approximate one's middle). */
  static long value(String amount) {
    Integer known = APPROXIMATE.getOrDefault(amount, WORDS.get(amount));
    return known != null ? known : Long.parseLong(amount);
  }

  /** Whether {@code amount} is approximate ("a few"). */
  static boolean approximate(String amount) {
    return APPROXIMATE.containsKey(amount);
  }

  /** The units a rolling window of {@code amount} covers: one more for an approximate one. */
  static long rolling(String amount) {
    return approximate(amount) ? value(amount) + 1 : value(amount);
  }
}
