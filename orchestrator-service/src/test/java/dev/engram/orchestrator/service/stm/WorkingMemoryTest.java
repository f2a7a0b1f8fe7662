package dev.engram.orchestrator.service.stm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkingMemoryTest {

  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private final AttentionScorer scorer =
      new AttentionScorer(0.35, 0.2, 0.25, 0.2, Duration.ofDays(1));

  private WorkingMemory memory(int capacity) {
    return new WorkingMemory(new StmPolicy(capacity, 0.15, 0.35, 0.05, 0.34), scorer);
  }

  private static Candidate msg(String text) {
    return Candidate.message(UUID.randomUUID(), text, NOW);
  }

  @Test
  void aNewItemEntersWithItsAttentionScoreAsActivation() {
    WorkingMemory stm = memory(5);
    StmUpdate update = stm.attend(List.of(msg("My sister Clara lives in Lisbon")), NOW);

    assertThat(update.turn()).isEqualTo(1);
    assertThat(update.added()).hasSize(1);
    WorkingItem item = update.items().get(0);
    assertThat(item.activation()).isEqualTo(item.attention().total());
    assertThat(item.enteredTurn()).isEqualTo(1);
  }

  @Test
  void activationFadesByTheDecayRateEveryTurn() {
    WorkingMemory stm = memory(5);
    stm.attend(List.of(msg("quantum entanglement lecture notes")), NOW);
    double before = stm.items().get(0).activation();

    stm.attend(List.of(msg("unrelated gardening tomatoes")), NOW);

    WorkingItem faded =
        stm.items().stream().filter(i -> i.text().startsWith("quantum")).findFirst().orElseThrow();
    assertThat(faded.activation()).isCloseTo(before * 0.85, within(1e-9));
  }

  @Test
  void mentioningAnItemRehearsesItAndBoostsItsActivation() {
    WorkingMemory stm = memory(5);
    UUID memoryId = UUID.randomUUID();
    stm.attend(
        List.of(Candidate.memory(memoryId, "Clara's birthday party in Lisbon", NOW, 0.8, Map.of())),
        NOW);
    double before = stm.items().get(0).activation();

    StmUpdate update =
        stm.attend(List.of(msg("What should I bring to Clara's party in Lisbon?")), NOW);

    WorkingItem rehearsed =
        update.items().stream()
            .filter(i -> memoryId.equals(i.memoryId()))
            .findFirst()
            .orElseThrow();
    assertThat(rehearsed.rehearsals()).isEqualTo(1);
    assertThat(rehearsed.activation()).isCloseTo(Math.min(1, before * 0.85 + 0.35), within(1e-9));
    assertThat(update.rehearsed()).contains(rehearsed.key());
    assertThat(update.reinforce()).containsExactly(memoryId);
  }

  @Test
  void recallingTheSameMemoryAgainRehearsesInsteadOfDuplicating() {
    WorkingMemory stm = memory(5);
    UUID memoryId = UUID.randomUUID();
    Candidate recalled = Candidate.memory(memoryId, "prefers green tea", NOW, 0.7, Map.of());
    stm.attend(List.of(recalled), NOW);

    StmUpdate update = stm.attend(List.of(recalled), NOW);

    assertThat(update.items()).hasSize(1);
    assertThat(update.added()).isEmpty();
    assertThat(update.items().get(0).rehearsals()).isEqualTo(1);
    assertThat(update.reinforce()).containsExactly(memoryId);
  }

  @Test
  void overCapacityTheLeastActiveIsEvicted() {
    WorkingMemory stm = memory(2);
    stm.attend(List.of(msg("alpha bravo charlie")), NOW);
    stm.attend(List.of(msg("delta echo foxtrot")), NOW);
    String oldest =
        stm.items().stream()
            .min((a, b) -> Double.compare(a.activation(), b.activation()))
            .orElseThrow()
            .key();

    StmUpdate update = stm.attend(List.of(msg("Important: golf hotel india!")), NOW);

    assertThat(update.items()).hasSize(2);
    assertThat(update.evicted()).containsExactly(oldest);
    assertThat(update.items()).extracting(WorkingItem::key).doesNotContain(oldest);
  }

  @Test
  void itemsFadingBelowTheFloorAreForgottenEvenWithRoom() {
    WorkingMemory stm = new WorkingMemory(new StmPolicy(10, 0.5, 0.35, 0.2, 0.34), scorer);
    stm.attend(List.of(msg("zebra giraffe savanna")), NOW);
    String key = stm.items().get(0).key();

    StmUpdate update = null;
    for (int i = 0; i < 4; i++) {
      update = stm.attend(List.of(msg("turn " + i + " mortgage rates banking")), NOW);
    }

    assertThat(update.items()).extracting(WorkingItem::key).doesNotContain(key);
  }

  @Test
  void restoreAndClearReplaceTheState() {
    WorkingMemory stm = memory(5);
    stm.attend(List.of(msg("piano lessons on tuesday")), NOW);
    List<WorkingItem> items = stm.items();
    long turn = stm.turn();

    WorkingMemory other = memory(5);
    other.restore(turn, items);
    assertThat(other.items()).isEqualTo(items);
    assertThat(other.turn()).isEqualTo(turn);

    other.clear();
    assertThat(other.items()).isEmpty();
    assertThat(other.turn()).isZero();
  }
}
