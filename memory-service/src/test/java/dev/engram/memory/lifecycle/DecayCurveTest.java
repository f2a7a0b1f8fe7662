package dev.engram.memory.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecayCurveTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final DecayCurve curve = new DecayCurve(7, 3, 1.5, 0.3, 0.1);

  @Test
  void aNewMemoryStartsFromItsSalience() {
    DecayCurve.Trace plain = curve.initial(0, T0);
    DecayCurve.Trace salient = curve.initial(1, T0);
    assertThat(plain.strength()).isEqualTo(0.5);
    assertThat(plain.stabilityDays()).isEqualTo(7);
    assertThat(salient.strength()).isEqualTo(1.0);
    assertThat(salient.stabilityDays()).isEqualTo(28);
  }

  @Test
  void strengthDecaysExponentiallyWithTheTimeConstant() {
    DecayCurve.Trace trace = curve.initial(0, T0);
    assertThat(curve.strengthAt(trace, T0)).isEqualTo(0.5);
    assertThat(curve.strengthAt(trace, T0.plus(Duration.ofDays(7))))
        .isCloseTo(0.5 / Math.E, within(1e-9));
    assertThat(curve.strengthAt(trace, T0.plus(Duration.ofDays(14))))
        .isCloseTo(0.5 / (Math.E * Math.E), within(1e-9));
  }

  @Test
  void aPlainMemoryIsForgottenAfterElevenDaysASalientOneAfterTwoMonths() {
    // t = tau * ln(S / threshold): 7 * ln 5 = 11.27 days; 28 * ln 10 = 64.47 days
    assertThat(Duration.between(T0, curve.forgetAt(curve.initial(0, T0))).toHours()).isEqualTo(270);
    assertThat(Duration.between(T0, curve.forgetAt(curve.initial(1, T0))).toDays()).isEqualTo(64);
  }

  @Test
  void reinforcementRestoresStrengthAndSlowsDecay() {
    DecayCurve.Trace trace = curve.initial(0, T0);
    Instant later = T0.plus(Duration.ofDays(7));
    DecayCurve.Trace reinforced = curve.reinforce(trace, later);
    double before = 0.5 / Math.E;
    assertThat(reinforced.strength()).isCloseTo(before + 0.3 * (1 - before), within(1e-9));
    assertThat(reinforced.stabilityDays())
        .isCloseTo(7 * (1 + 1.5 * (1 - 1 / Math.E)), within(1e-9));
    assertThat(reinforced.anchor()).isEqualTo(later);
  }

  @Test
  void spacedRepetitionSlowsDecayMoreThanMassedRepetition() {
    DecayCurve.Trace massed = curve.initial(0, T0);
    for (int i = 1; i <= 3; i++) {
      massed = curve.reinforce(massed, T0.plus(Duration.ofMinutes(i)));
    }
    DecayCurve.Trace spaced = curve.initial(0, T0);
    for (int i = 1; i <= 3; i++) {
      spaced = curve.reinforce(spaced, T0.plus(Duration.ofDays(5L * i)));
    }
    assertThat(spaced.stabilityDays()).isGreaterThan(3 * massed.stabilityDays());
  }

  @Test
  void consolidationTriplesTheTimeConstant() {
    DecayCurve.Trace trace = curve.initial(0.5, T0);
    assertThat(curve.consolidate(trace, T0).stabilityDays())
        .isEqualTo(trace.stabilityDays() * DecayCurve.CONSOLIDATION_FACTOR);
  }
}
