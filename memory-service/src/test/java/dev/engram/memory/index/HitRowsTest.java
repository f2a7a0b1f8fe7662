package dev.engram.memory.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.memory.model.Memory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rows of a user's search hits held in L1, and what keeps them from going stale. */
class HitRowsTest {

  static Memory row(long accesses) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new Memory(
        UUID.randomUUID(),
        "u",
        MemoryType.EPISODIC,
        MemoryState.ACTIVE,
        "c",
        null,
        null,
        null,
        null,
        Map.of(),
        null,
        0,
        0,
        0.5,
        1,
        3,
        accesses,
        t,
        t,
        t,
        t,
        t,
        null,
        null,
        null,
        null,
        0,
        0);
  }

  static Map<UUID, Memory> byId(Memory... rows) {
    Map<UUID, Memory> out = new java.util.HashMap<>();
    for (Memory m : rows) {
      out.put(m.id(), m);
    }
    return out;
  }

  @Test
  void rowsReadBeforeAnInvalidationAreNotKept() {
    HitRows hits = new HitRows(10);
    Memory a = row(0);
    long generation = hits.generation();
    hits.invalidate(); // a change committed while the database was read
    hits.putAll(generation, byId(a));
    List<UUID> missing = new ArrayList<>();
    assertThat(hits.get(List.of(a.id()), missing)).isEmpty();
    assertThat(missing).containsExactly(a.id());

    hits.putAll(hits.generation(), byId(a));
    missing.clear();
    assertThat(hits.get(List.of(a.id()), missing)).containsEntry(a.id(), a);
    assertThat(missing).isEmpty();
  }

  @Test
  void aKnownChangeReplacesItsRowsUnlessSomethingElseChangedMeanwhile() {
    HitRows hits = new HitRows(10);
    Memory a = row(0);
    Memory b = row(0);
    hits.putAll(hits.generation(), byId(a, b));
    Memory reinforced =
        new Memory(
            a.id(),
            a.userId(),
            a.type(),
            a.state(),
            a.content(),
            a.sessionId(),
            a.sourceMessageId(),
            a.role(),
            a.sequence(),
            a.metadata(),
            a.importance(),
            a.valence(),
            a.intensity(),
            a.salience(),
            a.strength(),
            a.stabilityDays(),
            1,
            a.lastAccessedAt(),
            a.reinforcedAt(),
            a.occurredAt(),
            a.createdAt(),
            a.stateChangedAt(),
            a.deleteAfter(),
            a.clusterId(),
            a.task(),
            a.steps(),
            a.successCount(),
            a.failureCount());

    long before = hits.generation();
    hits.replace(before, byId(reinforced));
    List<UUID> missing = new ArrayList<>();
    assertThat(hits.get(List.of(a.id(), b.id()), missing))
        .containsEntry(a.id(), reinforced)
        .containsEntry(b.id(), b);

    long stale = hits.generation();
    hits.invalidate(); // another change came first
    hits.putAll(hits.generation(), byId(a));
    hits.replace(stale, byId(reinforced));
    missing.clear();
    assertThat(hits.get(List.of(a.id()), missing)).isEmpty();
  }

  @Test
  void theLeastRecentlyUsedRowsGoPastTheBound() {
    HitRows hits = new HitRows(2);
    Memory a = row(0);
    Memory b = row(0);
    Memory c = row(0);
    hits.putAll(hits.generation(), byId(a, b));
    hits.get(List.of(a.id()), new ArrayList<>());
    hits.putAll(hits.generation(), byId(c));
    assertThat(hits.size()).isEqualTo(2);
    List<UUID> missing = new ArrayList<>();
    hits.get(List.of(a.id(), b.id(), c.id()), missing);
    assertThat(missing).containsExactly(b.id());
  }

  @Test
  void droppingTheRowsOfSomeMemoriesKeepsTheOthersAndRefusesOlderReads() {
    HitRows rows = new HitRows(10);
    Memory kept = row(0);
    Memory changed = row(0);
    long before = rows.generation();
    rows.putAll(before, byId(kept, changed));

    rows.drop(List.of(changed.id()));

    List<UUID> missing = new ArrayList<>();
    assertThat(rows.get(List.of(kept.id(), changed.id()), missing)).containsOnlyKeys(kept.id());
    assertThat(missing).containsExactly(changed.id());
    // a read that started before the change must not put back the old row
    rows.putAll(before, byId(changed));
    assertThat(rows.size()).isEqualTo(1);
  }
}
