package dev.engram.orchestrator.service.context;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the time window a question refers to ("what did I say last week about ..."), so that the
 * long-term search is narrowed to it. Understood, case-insensitive: {@code today}, {@code this
 * morning}, {@code yesterday}, {@code last night}, {@code this/last week|month|year}, {@code N
 * minutes|hours|days|weeks|months|years ago}, {@code in the last|past N hours|days|weeks|months},
 * {@code recently} (7 days), {@code on|last <weekday>}, {@code in <month> [year]}, {@code on|since
 * <yyyy-mm-dd>}. Weeks start on Monday; days are calendar days in the caller's time zone (the
 * configured one when the caller gave none).
 */
public final class TimeRangeParser {

  private static final String UNITS = "(minute|hour|day|week|month|year)s?";
  private static final Pattern AGO =
      Pattern.compile("\\b(\\d{1,3}|a|an|one|two|three) " + UNITS + " ago\\b");
  private static final Pattern PAST =
      Pattern.compile("\\b(?:in )?(?:the )?(?:last|past) (\\d{1,3}) " + UNITS + "\\b");
  private static final Pattern RELATIVE = Pattern.compile("\\b(this|last) (week|month|year)\\b");
  private static final Pattern WEEKDAY =
      Pattern.compile(
          "\\b(?:on|last) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b");
  private static final Pattern MONTH =
      Pattern.compile(
          "\\bin (january|february|march|april|may|june|july|august|september|october|november|"
              + "december)(?: (\\d{4}))?\\b");
  private static final Pattern DATE = Pattern.compile("\\b(on|since) (\\d{4}-\\d{2}-\\d{2})\\b");
  private static final Pattern DAY_WORD =
      Pattern.compile("\\b(earlier today|this morning|today|yesterday|last night|recently)\\b");

  private static final Pattern RECALL =
      Pattern.compile(
          "\\?|\\b(what|when|where|who|which|did i|have i|do you remember|remind me|recall|tell me)\\b");

  private final Clock clock;
  private final ZoneId zone;

  public TimeRangeParser(Clock clock, ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
  }

  /**
   * The window a question asks about: like {@link #parse}, but only for questions and recall
   * requests, so that "I fly to Kyoto in April" does not narrow anything.
   */
  public Optional<TimeRange> parseQuestion(String text) {
    return parseQuestion(text, null);
  }

  /** {@link #parseQuestion(String)} with days in {@code zone} (null: the configured zone). */
  public Optional<TimeRange> parseQuestion(String text, ZoneId zone) {
    if (text == null || !RECALL.matcher(text.toLowerCase(Locale.ROOT)).find()) {
      return Optional.empty();
    }
    return parse(text, zone);
  }

  /** The window {@code text} refers to, if it names one. */
  public Optional<TimeRange> parse(String text) {
    return parse(text, null);
  }

  /** {@link #parse(String)} with days in {@code callerZone} (null: the configured zone). */
  public Optional<TimeRange> parse(String text, ZoneId callerZone) {
    if (text == null) {
      return Optional.empty();
    }
    ZoneId zone = callerZone == null ? this.zone : callerZone;
    String lower = text.toLowerCase(Locale.ROOT);
    ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(zone);
    ZonedDateTime today = now.truncatedTo(ChronoUnit.DAYS);
    Matcher m;
    if ((m = DATE.matcher(lower)).find()) {
      try {
        ZonedDateTime day = LocalDate.parse(m.group(2)).atStartOfDay(zone);
        return Optional.of(
            m.group(1).equals("since")
                ? range(day, now, m.group())
                : range(day, day.plusDays(1), m.group()));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if ((m = PAST.matcher(lower)).find()) {
      ChronoUnit unit = unit(m.group(2));
      return Optional.of(range(now.minus(Long.parseLong(m.group(1)), unit), now, m.group()));
    }
    if ((m = AGO.matcher(lower)).find()) {
      ChronoUnit unit = unit(m.group(2));
      ZonedDateTime start = start(now.minus(number(m.group(1)), unit), unit);
      return Optional.of(range(start, start.plus(1, unit), m.group()));
    }
    if ((m = RELATIVE.matcher(lower)).find()) {
      ChronoUnit unit = unit(m.group(2));
      ZonedDateTime current = start(now, unit);
      return Optional.of(
          m.group(1).equals("this")
              ? range(current, now, m.group())
              : range(current.minus(1, unit), current, m.group()));
    }
    if ((m = WEEKDAY.matcher(lower)).find()) {
      DayOfWeek day = DayOfWeek.valueOf(m.group(1).toUpperCase(Locale.ROOT));
      ZonedDateTime start = today.with(TemporalAdjusters.previous(day));
      return Optional.of(range(start, start.plusDays(1), m.group()));
    }
    if ((m = MONTH.matcher(lower)).find()) {
      Month month = Month.valueOf(m.group(1).toUpperCase(Locale.ROOT));
      int year = m.group(2) != null ? Integer.parseInt(m.group(2)) : now.getYear();
      ZonedDateTime start = LocalDate.of(year, month, 1).atStartOfDay(zone);
      if (m.group(2) == null && start.isAfter(now)) {
        start = start.minusYears(1);
      }
      return Optional.of(range(start, start.plusMonths(1), m.group()));
    }
    if ((m = DAY_WORD.matcher(lower)).find()) {
      return Optional.of(
          switch (m.group(1)) {
            case "yesterday" -> range(today.minusDays(1), today, m.group());
            case "last night" -> range(today.minusHours(6), today.plusHours(6), m.group());
            case "recently" -> range(now.minusDays(7), now, m.group());
            default -> range(today, now, m.group());
          });
    }
    return Optional.empty();
  }

  /** {@code text} without the words that named the window, for the search query. */
  public static String withoutPhrase(String text, TimeRange range) {
    return Pattern.compile(Pattern.quote(range.phrase()), Pattern.CASE_INSENSITIVE)
        .matcher(text)
        .replaceFirst(" ")
        .replaceAll("\\s+", " ")
        .trim();
  }

  private static TimeRange range(ZonedDateTime from, ZonedDateTime to, String phrase) {
    Instant end = to.toInstant();
    return new TimeRange(from.toInstant(), end, phrase);
  }

  private static ZonedDateTime start(ZonedDateTime at, ChronoUnit unit) {
    return switch (unit) {
      case MINUTES, HOURS, DAYS -> at.truncatedTo(unit);
      case WEEKS ->
          at.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTHS -> at.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
      default -> at.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
    };
  }

  private static ChronoUnit unit(String word) {
    return switch (word) {
      case "minute" -> ChronoUnit.MINUTES;
      case "hour" -> ChronoUnit.HOURS;
      case "day" -> ChronoUnit.DAYS;
      case "week" -> ChronoUnit.WEEKS;
      case "month" -> ChronoUnit.MONTHS;
      default -> ChronoUnit.YEARS;
    };
  }

  private static long number(String word) {
    return switch (word) {
      case "a", "an", "one" -> 1;
      case "two" -> 2;
      case "three" -> 3;
      default -> Long.parseLong(word);
    };
  }
}
