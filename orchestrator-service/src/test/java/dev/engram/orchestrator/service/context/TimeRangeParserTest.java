package dev.engram.orchestrator.service.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeRangeParserTest {

  // A Wednesday.
  private static final Instant NOW = Instant.parse("2026-03-11T15:30:00Z");
  private final TimeRangeParser parser =
      new TimeRangeParser(Clock.fixed(NOW, ZoneOffset.UTC), ZoneOffset.UTC);

  private TimeRange parse(String text) {
    return parser.parse(text).orElseThrow();
  }

  @Test
  void lastWeekIsTheCalendarWeekBeforeThisOne() {
    TimeRange r = parse("What did I say last week about the budget?");
    assertThat(r.from()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
    assertThat(r.to()).isEqualTo(Instant.parse("2026-03-09T00:00:00Z"));
    assertThat(r.phrase()).isEqualTo("last week");
    assertThat(TimeRangeParser.withoutPhrase("What did I say last week about the budget?", r))
        .isEqualTo("What did I say about the budget?");
  }

  @Test
  void daysAreTheCallersDays() {
    // 15:30 UTC is 04:30 the next morning in Auckland (UTC+13) and 08:30 in Los Angeles (UTC-7)
    TimeRange auckland =
        parser
            .parseQuestion("what did I say yesterday?", java.time.ZoneId.of("Pacific/Auckland"))
            .orElseThrow();
    assertThat(auckland.from()).isEqualTo(Instant.parse("2026-03-10T11:00:00Z"));
    assertThat(auckland.to()).isEqualTo(Instant.parse("2026-03-11T11:00:00Z"));
    TimeRange losAngeles =
        parser.parse("yesterday", java.time.ZoneId.of("America/Los_Angeles")).orElseThrow();
    assertThat(losAngeles.from()).isEqualTo(Instant.parse("2026-03-10T07:00:00Z"));
    assertThat(losAngeles.to()).isEqualTo(Instant.parse("2026-03-11T07:00:00Z"));
    // none given: the configured zone
    assertThat(parser.parse("yesterday", null).orElseThrow().from())
        .isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
  }

  @Test
  void dayWords() {
    assertThat(parse("yesterday").from()).isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
    assertThat(parse("yesterday").to()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
    assertThat(parse("what did we do today").from())
        .isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
    assertThat(parse("what did we do today").to()).isEqualTo(NOW);
    assertThat(parse("anything recently?").from()).isEqualTo(NOW.minusSeconds(7 * 86400));
  }

  @Test
  void agoPicksTheWholeUnitItFallsIn() {
    TimeRange days = parse("3 days ago I mentioned a book");
    assertThat(days.from()).isEqualTo(Instant.parse("2026-03-08T00:00:00Z"));
    assertThat(days.to()).isEqualTo(Instant.parse("2026-03-09T00:00:00Z"));
    TimeRange month = parse("a month ago");
    assertThat(month.from()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(month.to()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
  }

  @Test
  void pastNUnitsEndsNow() {
    TimeRange r = parse("in the last 2 hours");
    assertThat(r.from()).isEqualTo(NOW.minusSeconds(7200));
    assertThat(r.to()).isEqualTo(NOW);
  }

  @Test
  void weekdaysMonthsAndDates() {
    TimeRange monday = parse("on monday we talked");
    assertThat(monday.from()).isEqualTo(Instant.parse("2026-03-09T00:00:00Z"));
    TimeRange wednesday = parse("last wednesday");
    assertThat(wednesday.from()).isEqualTo(Instant.parse("2026-03-04T00:00:00Z"));
    TimeRange june = parse("in June");
    assertThat(june.from()).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
    assertThat(june.to()).isEqualTo(Instant.parse("2025-07-01T00:00:00Z"));
    TimeRange feb = parse("in february 2026");
    assertThat(feb.from()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    TimeRange since = parse("since 2026-01-15");
    assertThat(since.from()).isEqualTo(Instant.parse("2026-01-15T00:00:00Z"));
    assertThat(since.to()).isEqualTo(NOW);
    TimeRange on = parse("on 2026-01-15");
    assertThat(on.to()).isEqualTo(Instant.parse("2026-01-16T00:00:00Z"));
  }

  @Test
  void onlyQuestionsAndRecallRequestsNarrowTheSearch() {
    assertThat(parser.parseQuestion("I fly to Kyoto in April")).isEmpty();
    assertThat(parser.parseQuestion("What did I plan in April?")).isPresent();
    assertThat(parser.parseQuestion("remind me what we said yesterday")).isPresent();
  }

  /** The window {@code text} names: {@code [from, to)} as instants. */
  private void window(String text, String from, String to) {
    TimeRange r = parse(text);
    assertThat(r.from()).as(text).isEqualTo(Instant.parse(from));
    assertThat(r.to()).as(text).isEqualTo(to.equals("now") ? NOW : Instant.parse(to));
  }

  @Test
  void theDayBeforeYesterdayIsTwoDaysAgo() {
    window(
        "What did I say the day before yesterday?", "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z");
    assertThat(parse("the day before yesterday").phrase()).isEqualTo("the day before yesterday");
    window("day before yesterday", "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z");
  }

  @Test
  void numberWordsCountUnits() {
    window("four days ago", "2026-03-07T00:00:00Z", "2026-03-08T00:00:00Z");
    window("ten days ago", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z");
    window("what did I say twenty minutes ago", "2026-03-11T15:10:00Z", "2026-03-11T15:11:00Z");
    window("an hour ago", "2026-03-11T14:00:00Z", "2026-03-11T15:00:00Z");
    // the week (from Monday) two weeks back
    window("two weeks ago", "2026-02-23T00:00:00Z", "2026-03-02T00:00:00Z");
    window("twelve months ago", "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z");
  }

  @Test
  void approximateAmountsAgoSpanAUnitEitherSide() {
    // a couple (2) of weeks ago: the weeks 3, 2 and 1 back
    window("a couple of weeks ago", "2026-02-16T00:00:00Z", "2026-03-09T00:00:00Z");
    window("a couple weeks ago", "2026-02-16T00:00:00Z", "2026-03-09T00:00:00Z");
    // a few (3) days ago: the days 4, 3 and 2 back
    window("a few days ago", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z");
    window("what did we say the other day", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z");
    // several (5) days ago: 6 to 4 back
    window("several days ago", "2026-03-05T00:00:00Z", "2026-03-08T00:00:00Z");
  }

  @Test
  void theLastOrPastUnitsEndNow() {
    window("in the last 3 days", "2026-03-08T15:30:00Z", "now");
    window("last 3 days", "2026-03-08T15:30:00Z", "now");
    window("over the past two weeks", "2026-02-25T15:30:00Z", "now");
    // approximate: one unit more
    window("the last few days", "2026-03-07T15:30:00Z", "now");
    window("last few days", "2026-03-07T15:30:00Z", "now");
    window("in the last couple of hours", "2026-03-11T12:30:00Z", "now");
    // without a number: one unit back from now (but "last week" is the calendar week)
    window("in the last week", "2026-03-04T15:30:00Z", "now");
    window("the past month", "2026-02-11T15:30:00Z", "now");
    window("past year", "2025-03-11T15:30:00Z", "now");
  }

  @Test
  void inTheLastNUnitsWinsOverLastWeekWhereverEachIs() {
    TimeRange r = parse("Did I mention the boiler last week or in the last 10 days?");
    assertThat(r.phrase()).isEqualTo("in the last 10 days");
    assertThat(r.from()).isEqualTo(Instant.parse("2026-03-01T15:30:00Z"));
    assertThat(r.to()).isEqualTo(NOW);
    assertThat(parse("in the last 10 days, what did I say about last week?").phrase())
        .isEqualTo("in the last 10 days");
    // alone, "last week" is the calendar week before this one
    window("what did I say last week", "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z");
  }

  @Test
  void lastWeekendIsSaturdayAndSundayBeforeThisWeek() {
    window("What did we do last weekend?", "2026-03-07T00:00:00Z", "2026-03-09T00:00:00Z");
    assertThat(parse("last weekend").phrase()).isEqualTo("last weekend");
    window("what did I cook this past weekend", "2026-03-07T00:00:00Z", "2026-03-09T00:00:00Z");
  }

  @Test
  void thisAndLastWeekMonthAndYear() {
    window("this week", "2026-03-09T00:00:00Z", "now");
    window("this month", "2026-03-01T00:00:00Z", "now");
    window("last month", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z");
    window("this year", "2026-01-01T00:00:00Z", "now");
    window("last year", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
  }

  @Test
  void namedMonthsAndYears() {
    // in March 2026 "last March" is a year ago; "last February" the month before this one
    window("what did I say last March", "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z");
    window("last february", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z");
    // the current month so far
    window("in March", "2026-03-01T00:00:00Z", "now");
    window("in March 2025", "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z");
    window("in April", "2025-04-01T00:00:00Z", "2025-05-01T00:00:00Z");
    window("in 2025", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    window("in 2026", "2026-01-01T00:00:00Z", "now");
    window("what did we do in 2024 at Christmas", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
    // a count is not a year
    assertThat(parser.parse("Did I say it fits in 2000 characters?")).isEmpty();
  }

  @Test
  void datesWithAMonthName() {
    for (String text :
        List.of(
            "on 3 March",
            "on 3rd March",
            "on the 3rd of March",
            "on March 3rd",
            "on march 3",
            "on Mar 3",
            "what did I say on the 3rd of march about the roof?")) {
      window(text, "2026-03-03T00:00:00Z", "2026-03-04T00:00:00Z");
    }
    window("on March 3, 2025", "2025-03-03T00:00:00Z", "2025-03-04T00:00:00Z");
    window("on 3 March 2025", "2025-03-03T00:00:00Z", "2025-03-04T00:00:00Z");
    // no year: the latest such day not after today
    window("on 20 March", "2025-03-20T00:00:00Z", "2025-03-21T00:00:00Z");
    window("on March 11th", "2026-03-11T00:00:00Z", "now");
    window("since March 3", "2026-03-03T00:00:00Z", "now");
    assertThat(parser.parse("on 31 April")).isEmpty();
    assertThat(parser.parse("on 2026-02-30")).isEmpty();
  }

  @Test
  void aWindowNeverReachesPastNowAndOneInTheFutureIsNone() {
    assertThat(parser.parse("since 2026-04-01")).isEmpty();
    assertThat(parser.parse("since 1 April 2026")).isEmpty();
    assertThat(parser.parseQuestion("What happened since 2026-04-01?")).isEmpty();
    assertThat(parser.parse("on 2026-03-12")).isEmpty();
    assertThat(parser.parse("in 2027")).isEmpty();
    assertThat(parser.parse("this evening")).isEmpty(); // 18:00 has not come yet
    window("since 2026-03-01", "2026-03-01T00:00:00Z", "now");
  }

  @Test
  void partsOfTheDay() {
    window("what did I eat this morning?", "2026-03-11T00:00:00Z", "2026-03-11T12:00:00Z");
    window("this afternoon", "2026-03-11T12:00:00Z", "now");
    window("yesterday morning", "2026-03-10T00:00:00Z", "2026-03-10T12:00:00Z");
    window("yesterday evening", "2026-03-10T18:00:00Z", "2026-03-11T00:00:00Z");
    window("what did I say last night", "2026-03-10T18:00:00Z", "2026-03-11T06:00:00Z");
    window("earlier today", "2026-03-11T00:00:00Z", "now");
    assertThat(parse("earlier today").phrase()).isEqualTo("earlier today");
    // the caller's morning: 04:30 in Auckland (UTC+13) on the 12th
    TimeRange auckland =
        parser.parse("this morning", java.time.ZoneId.of("Pacific/Auckland")).orElseThrow();
    assertThat(auckland.from()).isEqualTo(Instant.parse("2026-03-11T11:00:00Z"));
    assertThat(auckland.to()).isEqualTo(NOW);
  }

  @Test
  void aPhraseThatMayNameTheFutureNarrowsOnlyAQuestionThatLooksBack() {
    for (String forward :
        List.of(
            "What should I cook today?",
            "I am tired, what should I cook today?",
            "What do I need this week?",
            "What's on this morning?",
            "What do I have on Monday?",
            "What happens in April?",
            "Where will we be on 3 March?")) {
      assertThat(parser.parseQuestion(forward)).as(forward).isEmpty();
    }
    for (String back :
        List.of(
            "What did I cook today?",
            "What have I told you today?",
            "What was the plan this week?",
            "We talked about it this morning, what was it?",
            "What did we discuss on Monday?",
            "Do you remember what I said in April?",
            "When I visited Ana on 3 March, what did she say?",
            "Tell me what we discussed in 2025")) {
      assertThat(parser.parseQuestion(back)).as(back).isPresent();
    }
    // phrases that only name the past need only a question
    for (String back :
        List.of(
            "Anything from last week?",
            "What about yesterday?",
            "What about the day before yesterday?",
            "What about a few days ago?",
            "Which book came up last weekend?")) {
      assertThat(parser.parseQuestion(back)).as(back).isPresent();
    }
  }

  @Test
  void noTimeWordsNoRange() {
    assertThat(parser.parse("tell me about the budget")).isEmpty();
    assertThat(parser.parse("may I ask something?")).isEmpty();
    assertThat(parser.parse(null)).isEmpty();
  }
}
