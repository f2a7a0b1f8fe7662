package dev.engram.memory.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.memory.model.Memory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LifecyclePolicyTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final DecayCurve curve = new DecayCurve(7, 3, 1.5, 0.3, 0.1);
  final LifecyclePolicy policy =
      new LifecyclePolicy(
          curve, Duration.ofDays(7), 3, 0.7, Duration.ofHours(1), Duration.ofDays(90));

  static Clock at(Duration after) {
    return Clock.fixed(T0.plus(after), ZoneOffset.UTC);
  }

  static Memory memory(MemoryState state, double salience, long accesses, Instant lastAccess) {
    DecayCurve.Trace trace = new DecayCurve(7, 3, 1.5, 0.3, 0.1).initial(salience, T0);
    return new Memory(
        UUID.randomUUID(),
        "u",
        MemoryType.EPISODIC,
        state,
        "c",
        null,
        null,
        null,
        null,
        Map.of(),
        null,
        0,
        0,
        salience,
        trace.strength(),
        trace.stabilityDays(),
        accesses,
        lastAccess,
        T0,
        T0,
        T0,
        T0,
        state == MemoryState.DECAYED ? T0.plus(Duration.ofDays(7)) : null,
        null,
        null,
        null,
        0,
        0);
  }

  @Test
  void anUnusedPlainMemoryDecaysAfterElevenDays() {
    Memory m = memory(MemoryState.ACTIVE, 0, 0, null);
    assertThat(policy.next(m, at(Duration.ofDays(11)).instant())).isEmpty();
    var t = policy.next(m, at(Duration.ofDays(12)).instant()).orElseThrow();
    assertThat(t.state()).isEqualTo(MemoryState.DECAYED);
    assertThat(t.deleteAfter()).isEqualTo(T0.plus(Duration.ofDays(19)));
  }

  @Test
  void aDecayedMemoryIsDeletedAfterTheGracePeriod() {
    Memory m = memory(MemoryState.DECAYED, 0, 0, null);
    assertThat(policy.next(m, at(Duration.ofDays(6)).instant())).isEmpty();
    assertThat(policy.next(m, at(Duration.ofDays(7)).instant()).orElseThrow().delete()).isTrue();
  }

  @Test
  void aReinforcedOrSalientMemoryIsConsolidatedOnceOldEnough() {
    Memory reinforced = memory(MemoryState.ACTIVE, 0.2, 3, T0);
    Memory salient = memory(MemoryState.ACTIVE, 0.8, 0, null);
    Memory ordinary = memory(MemoryState.ACTIVE, 0.2, 1, T0);
    assertThat(policy.next(salient, at(Duration.ofMinutes(30)).instant())).isEmpty();
    assertThat(policy.next(salient, at(Duration.ofHours(2)).instant()).orElseThrow().state())
        .isEqualTo(MemoryState.CONSOLIDATED);
    assertThat(policy.next(reinforced, at(Duration.ofHours(2)).instant()).orElseThrow().state())
        .isEqualTo(MemoryState.CONSOLIDATED);
    assertThat(policy.next(ordinary, at(Duration.ofHours(2)).instant())).isEmpty();
  }

  @Test
  void aConsolidatedMemoryIsArchivedAfterNinetyDaysWithoutAccess() {
    Memory m = memory(MemoryState.CONSOLIDATED, 0.8, 4, T0.plus(Duration.ofDays(10)));
    assertThat(policy.next(m, at(Duration.ofDays(99)).instant())).isEmpty();
    assertThat(policy.next(m, at(Duration.ofDays(100)).instant()).orElseThrow().state())
        .isEqualTo(MemoryState.ARCHIVED);
  }

  @Test
  void reinforcementRevivesDecayedAndArchivedMemories() {
    assertThat(LifecyclePolicy.afterReinforcement(MemoryState.DECAYED))
        .isEqualTo(MemoryState.ACTIVE);
    assertThat(LifecyclePolicy.afterReinforcement(MemoryState.ARCHIVED))
        .isEqualTo(MemoryState.CONSOLIDATED);
    assertThat(LifecyclePolicy.afterReinforcement(MemoryState.ACTIVE))
        .isEqualTo(MemoryState.ACTIVE);
  }
}
