package dev.engram.broker.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.broker.controller.CheckBoundStep.Observation;
import dev.engram.broker.pool.Activity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Since when a bound instance counts as active: what idle culling measures from. */
class ActiveSinceTest {

  private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
  private static final Instant REPORTED = Instant.parse("2026-12-03T07:59:58Z");
  private static final Instant NOW = T0.plus(Duration.ofMinutes(20));

  @Test
  void anUnmovedReportKeepsItsTimeAndAMovedOneStartsAgain() {
    Observation last = new Observation(T0, REPORTED, T0);
    assertThat(CheckBoundStep.activeSince(last, null, REPORTED, NOW)).isEqualTo(T0);
    assertThat(CheckBoundStep.activeSince(last, null, REPORTED.plusSeconds(5), NOW)).isEqualTo(NOW);
  }

  @Test
  void aRestartedBrokerContinuesFromTheActivityRecordedOnTheInstance() {
    Activity recorded = new Activity(REPORTED, T0);
    assertThat(CheckBoundStep.activeSince(null, recorded, REPORTED, NOW)).isEqualTo(T0);
    // the instance was used since it was recorded
    assertThat(CheckBoundStep.activeSince(null, recorded, REPORTED.plusSeconds(1), NOW))
        .isEqualTo(NOW);
    // nothing recorded (a broker before this one, or never checked): from now
    assertThat(CheckBoundStep.activeSince(null, null, REPORTED, NOW)).isEqualTo(NOW);
    // never later than now (another replica's clock ahead of this one)
    assertThat(
            CheckBoundStep.activeSince(
                null, new Activity(REPORTED, NOW.plusSeconds(30)), REPORTED, NOW))
        .isEqualTo(NOW);
  }

  @Test
  void itsOwnObservationWinsOverWhatIsRecorded() {
    Observation last = new Observation(T0, REPORTED, T0.plusSeconds(10));
    assertThat(CheckBoundStep.activeSince(last, new Activity(REPORTED, T0), REPORTED, NOW))
        .isEqualTo(T0.plusSeconds(10));
  }
}
