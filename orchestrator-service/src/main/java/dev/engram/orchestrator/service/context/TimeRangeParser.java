package dev.engram.orchestrator.service.context;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the time window a question refers to ("what did I say last week about ..."), so that the
 * long-term search is narrowed to it. Days are calendar days in the caller's time zone (the
 * configured one when the caller gave none), weeks start on Monday, and a window never reaches past
 * now (one that would start after now is none). The phrasings understood, case-insensitive, the
 * first kind found in this order winning:
 *
 * <ol>
 *   <li>{@code on|since <date>}: {@code 2026-03-03}, {@code 3 March}, {@code 3rd of March}, {@code
 *       March 3rd}, with an optional year ({@code 3 March 2026}, {@code March 3, 2026}; without
 *       one, the latest such day not after today); {@code on} is that day, {@code since} from it
 *       until now;
 *   <li>{@code in|over|during|within the last|past [N] <unit>}, {@code past [N] <unit>}, {@code
 *       last N <unit>}: the N units (1 without N) until now;
 *   <li>{@code N <unit> ago}: the whole unit (day, week, month, ...) it falls in; {@code the day
 *       before yesterday} is 2 days ago;
 *   <li>{@code a couple of|a few|several <unit> ago} and {@code the other day} (a few days): from
 *       N+1 to N-1 units ago, whole units;
 *   <li>{@code last weekend}, {@code (this) past weekend}: Saturday and Sunday of the week before
 *       this one;
 *   <li>{@code this|last week|month|year}: the calendar unit so far, or the one before it;
 *   <li>{@code last <month>}: the latest such month before this one; {@code in <month> [year]}:
 *       that month of the year given, else the latest that has begun; {@code in <year>} (not "in
 *       2000 characters");
 *   <li>{@code on|last <weekday>}: the latest such day before today;
 *   <li>{@code this|yesterday morning|afternoon|evening} (0-12 h, 12-18 h, 18-24 h), {@code last
 *       night} (18 h yesterday to 6 h today), {@code earlier today}, {@code today}, {@code
 *       yesterday}, {@code recently} (the last 7 days).
 * </ol>
 *
 * N is digits, a number word up to twenty (or thirty), {@code a}/{@code an} (1), or an approximate
 * {@code a couple of} (2), {@code a few} (3) or {@code several} (5).
 */
public final class TimeRangeParser {

  private static final String MONTHS =
      "january|february|march|april|may|june|july|august|september|october|november|december";
  private static final String DATE_MONTHS =
      MONTHS + "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";
  private static final String WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
  private static final String UNITS = "(minute|hour|day|week|month|year)s?";

  private static final Pattern ISO_DATE =
      Pattern.compile("\\b(on|since) (\\d{4}-\\d{2}-\\d{2})\\b");
  private static final Pattern DAY_MONTH =
      Pattern.compile(
          "\\b(on|since) (?:the )?(\\d{1,2})(?:st|nd|rd|th)?(?: of)? ("
              + DATE_MONTHS
              + ")\\.?(?:,? (\\d{4}))?\\b");
  private static final Pattern MONTH_DAY =
      Pattern.compile(
          "\\b(on|since) ("
              + DATE_MONTHS
              + ")\\.? (?:the )?(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,? (\\d{4})\\b)?");
  private static final Pattern PAST =
      Pattern.compile(
          "\\b(?:(?:in|over|during|within) )?(the )?(last|past) (?:("
              + Amounts.NUMBER
              + ") )?"
              + UNITS
              + "\\b");
  private static final Pattern AGO =
      Pattern.compile("\\b(" + Amounts.NUMBER + ") " + UNITS + " ago\\b");
  private static final Pattern DAY_BEFORE_YESTERDAY =
      Pattern.compile("\\b(?:the )?day before yesterday\\b");
  private static final Pattern OTHER_DAY = Pattern.compile("\\bthe other day\\b");
  private static final Pattern LAST_WEEKEND = Pattern.compile("\\b(?:last|past) weekend\\b");
  private static final Pattern RELATIVE = Pattern.compile("\\b(this|last) (week|month|year)\\b");
  private static final Pattern LAST_MONTH_NAMED = Pattern.compile("\\blast (" + MONTHS + ")\\b");
  private static final Pattern IN_MONTH =
      Pattern.compile("\\bin (" + MONTHS + ")(?: (\\d{4}))?\\b");

  /** A year, unless a word that makes it a count follows ("in 2000 characters"). */
  private static final Pattern IN_YEAR =
      Pattern.compile(
          "\\bin ((?:19|20)\\d{2})(?=\\s*$|\\s*[?.!,;:)]|\\s+(?:and|or|at|on|in|when|while|with"
              + "|about|during|before|after|did|was|were|i|we|you)\\b)");

  private static final Pattern WEEKDAY = Pattern.compile("\\b(on|last) (" + WEEKDAYS + ")\\b");
  private static final Pattern DAY_PART =
      Pattern.compile("\\b(this|yesterday) (morning|afternoon|evening)\\b");
  private static final Pattern DAY_WORD =
      Pattern.compile("\\b(earlier today|today|yesterday|last night|recently)\\b");

  private final Clock clock;
  private final ZoneId zone;

  public TimeRangeParser(Clock clock, ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
  }

  /**
   * The window a question asks about: like {@link #parse}, but only for questions and recall
   * requests ({@link RecallPhrasing}), and for a phrase that may name the future ("today", "this
   * week", "on Monday", "in April") only when the question looks back ("did I", "what was", "we
   * talked", ...): "I fly to Kyoto in April" and "What should I cook today?" narrow nothing.
   */
  public Optional<TimeRange> parseQuestion(String text) {
    return parseQuestion(text, null);
  }

  /** {@link #parseQuestion(String)} with days in {@code zone} (null: the configured zone). */
  public Optional<TimeRange> parseQuestion(String text, ZoneId zone) {
    if (text == null || !RecallPhrasing.asks(text)) {
      return Optional.empty();
    }
    return find(text, zone)
        .filter(found -> found.past() || RecallPhrasing.looksBack(text))
        .map(Found::range);
  }

  /** The window {@code text} refers to, if it names one. */
  public Optional<TimeRange> parse(String text) {
    return parse(text, null);
  }

  /** {@link #parse(String)} with days in {@code callerZone} (null: the configured zone). */
  public Optional<TimeRange> parse(String text, ZoneId callerZone) {
    return text == null ? Optional.empty() : find(text, callerZone).map(Found::range);
  }

  /** {@code text} without the words that named the window, for the search query. */
  public static String withoutPhrase(String text, TimeRange range) {
    return Pattern.compile(Pattern.quote(range.phrase()), Pattern.CASE_INSENSITIVE)
        .matcher(text)
        .replaceFirst(" ")
        .replaceAll("\\s+", " ")
        .trim();
  }

  /**
   * A window found, and whether its phrase can only mean the past ("yesterday", "last week") or may
   * name the future too ("today", "on Monday").
   */
  private record Found(TimeRange range, boolean past) {}

  /** The window of the first kind of phrase (in the documented order) that {@code text} holds. */
  private Optional<Found> find(String text, ZoneId callerZone) {
    Window w = new Window(ZonedDateTime.now(clock).withZoneSameInstant(zoneOf(callerZone)));
    String lower = text.toLowerCase(Locale.ROOT);
    Matcher m;
    if ((m = ISO_DATE.matcher(lower)).find()) {
      String iso = m.group(2);
      return w.onOrSince(m.group(1), () -> LocalDate.parse(iso), m.group(), true);
    }
    if ((m = DAY_MONTH.matcher(lower)).find()) {
      String month = m.group(3);
      String day = m.group(2);
      String year = m.group(4);
      return w.onOrSince(m.group(1), () -> w.day(month, day, year), m.group(), year != null);
    }
    if ((m = MONTH_DAY.matcher(lower)).find()) {
      String month = m.group(2);
      String day = m.group(3);
      String year = m.group(4);
      return w.onOrSince(m.group(1), () -> w.day(month, day, year), m.group(), year != null);
    }
    m = PAST.matcher(lower);
    while (m.find()) {
      // "last week" without a number is the calendar week before this one (below)
      if (m.group(3) != null || m.group(1) != null || m.group(2).equals("past")) {
        long n = m.group(3) == null ? 1 : Amounts.rolling(m.group(3));
        return w.found(w.now().minus(n, unit(m.group(4))), w.now(), m.group(), true);
      }
    }
    if ((m = AGO.matcher(lower)).find()) {
      return w.ago(m.group(1), unit(m.group(2)), m.group());
    }
    if ((m = DAY_BEFORE_YESTERDAY.matcher(lower)).find()) {
      return w.ago("2", ChronoUnit.DAYS, m.group());
    }
    if ((m = OTHER_DAY.matcher(lower)).find()) {
      return w.ago("a few", ChronoUnit.DAYS, m.group());
    }
    if ((m = LAST_WEEKEND.matcher(lower)).find()) {
      ZonedDateTime monday = w.start(w.now(), ChronoUnit.WEEKS);
      return w.found(monday.minusDays(2), monday, m.group(), true);
    }
    if ((m = RELATIVE.matcher(lower)).find()) {
      ChronoUnit unit = unit(m.group(2));
      ZonedDateTime current = w.start(w.now(), unit);
      return m.group(1).equals("this")
          ? w.found(current, w.now(), m.group(), false)
          : w.found(current.minus(1, unit), current, m.group(), true);
    }
    if ((m = LAST_MONTH_NAMED.matcher(lower)).find()) {
      Month month = Month.valueOf(m.group(1).toUpperCase(Locale.ROOT));
      ZonedDateTime start = w.monthStart(w.now().getYear(), month);
      if (!start.isBefore(w.start(w.now(), ChronoUnit.MONTHS))) {
        start = start.minusYears(1);
      }
      return w.found(start, start.plusMonths(1), m.group(), true);
    }
    if ((m = IN_MONTH.matcher(lower)).find()) {
      Month month = Month.valueOf(m.group(1).toUpperCase(Locale.ROOT));
      boolean dated = m.group(2) != null;
      ZonedDateTime start =
          w.monthStart(dated ? Integer.parseInt(m.group(2)) : w.now().getYear(), month);
      if (!dated && start.isAfter(w.now())) {
        start = start.minusYears(1);
      }
      return w.found(start, start.plusMonths(1), m.group(), dated);
    }
    if ((m = IN_YEAR.matcher(lower)).find()) {
      ZonedDateTime start = LocalDate.of(Integer.parseInt(m.group(1)), 1, 1).atStartOfDay(w.zone());
      return w.found(start, start.plusYears(1), m.group(), true);
    }
    if ((m = WEEKDAY.matcher(lower)).find()) {
      DayOfWeek day = DayOfWeek.valueOf(m.group(2).toUpperCase(Locale.ROOT));
      ZonedDateTime start = w.today().with(TemporalAdjusters.previous(day));
      return w.found(start, start.plusDays(1), m.group(), m.group(1).equals("last"));
    }
    if ((m = DAY_PART.matcher(lower)).find()) {
      ZonedDateTime day = m.group(1).equals("this") ? w.today() : w.today().minusDays(1);
      int from =
          switch (m.group(2)) {
            case "morning" -> 0;
            case "afternoon" -> 12;
            default -> 18;
          };
      ZonedDateTime start = day.withHour(from);
      ZonedDateTime end = from == 18 ? day.plusDays(1) : day.withHour(from == 0 ? 12 : 18);
      return w.found(start, end, m.group(), m.group(1).equals("yesterday"));
    }
    if ((m = DAY_WORD.matcher(lower)).find()) {
      ZonedDateTime today = w.today();
      return switch (m.group(1)) {
        case "yesterday" -> w.found(today.minusDays(1), today, m.group(), true);
        case "last night" ->
            w.found(today.minusDays(1).withHour(18), today.withHour(6), m.group(), true);
        case "recently" -> w.found(w.now().minusDays(7), w.now(), m.group(), true);
        case "earlier today" -> w.found(today, w.now(), m.group(), true);
        default -> w.found(today, w.now(), m.group(), false);
      };
    }
    return Optional.empty();
  }

  private ZoneId zoneOf(ZoneId callerZone) {
    return callerZone == null ? zone : callerZone;
  }

  /** Windows relative to one instant, in one zone. */
  private record Window(ZonedDateTime now) {

    ZoneId zone() {
      return now.getZone();
    }

    ZonedDateTime today() {
      return now.toLocalDate().atStartOfDay(zone());
    }

    /** The window from..to, cut at now; none when it would start at or after now. */
    Optional<Found> found(ZonedDateTime from, ZonedDateTime to, String phrase, boolean past) {
      Instant end = to.isAfter(now) ? now.toInstant() : to.toInstant();
      Instant start = from.toInstant();
      return start.isBefore(end)
          ? Optional.of(new Found(new TimeRange(start, end, phrase), past))
          : Optional.empty();
    }

    /** {@code N <unit> ago}: the whole unit it falls in, or around it for an approximate N. */
    Optional<Found> ago(String amount, ChronoUnit unit, String phrase) {
      long n = Amounts.value(amount);
      if (Amounts.approximate(amount)) {
        ZonedDateTime from = start(now.minus(n + 1, unit), unit);
        ZonedDateTime to = start(now.minus(n - 1, unit), unit).plus(1, unit);
        return found(from, to, phrase, true);
      }
      ZonedDateTime start = start(now.minus(n, unit), unit);
      return found(start, start.plus(1, unit), phrase, true);
    }

    /** {@code on <day>} (that day) or {@code since <day>} (from it until now). */
    Optional<Found> onOrSince(
        String word, java.util.function.Supplier<LocalDate> day, String phrase, boolean dated) {
      LocalDate date;
      try {
        date = day.get();
      } catch (DateTimeException e) {
        return Optional.empty(); // no such day (2026-02-30, 31 April)
      }
      ZonedDateTime start = date.atStartOfDay(zone());
      return word.equals("since")
          ? found(start, now, phrase, true)
          : found(start, start.plusDays(1), phrase, dated);
    }

    /**
     * The day named by month and day of month, in {@code year} or else the latest not after today.
     */
    LocalDate day(String monthName, String dayOfMonth, String year) {
      Month month = month(monthName);
      int d = Integer.parseInt(dayOfMonth);
      if (year != null) {
        return LocalDate.of(Integer.parseInt(year), month, d);
      }
      LocalDate date = LocalDate.of(now.getYear(), month, d);
      return date.isAfter(now.toLocalDate()) ? LocalDate.of(now.getYear() - 1, month, d) : date;
    }

    ZonedDateTime monthStart(int year, Month month) {
      return LocalDate.of(year, month, 1).atStartOfDay(zone());
    }

    /** The start of the calendar unit {@code at} is in. */
    ZonedDateTime start(ZonedDateTime at, ChronoUnit unit) {
      return switch (unit) {
        case MINUTES, HOURS -> at.truncatedTo(unit);
        case DAYS -> at.toLocalDate().atStartOfDay(zone());
        case WEEKS ->
            at.toLocalDate()
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .atStartOfDay(zone());
        case MONTHS -> at.toLocalDate().withDayOfMonth(1).atStartOfDay(zone());
        default -> at.toLocalDate().withDayOfYear(1).atStartOfDay(zone());
      };
    }
  }

  private static Month month(String name) {
    for (Month month : Month.values()) {
      if (month.name().toLowerCase(Locale.ROOT).startsWith(name)) {
        return month;
      }
    }
    throw new DateTimeException("no month " + name);
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
}
