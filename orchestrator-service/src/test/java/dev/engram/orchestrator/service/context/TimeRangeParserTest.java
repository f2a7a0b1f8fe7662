package dev.engram.orchestrator.service.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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

  @Test
  void noTimeWordsNoRange() {
    assertThat(parser.parse("tell me about the budget")).isEmpty();
    assertThat(parser.parse("may I ask something?")).isEmpty();
    assertThat(parser.parse(null)).isEmpty();
  }
}
