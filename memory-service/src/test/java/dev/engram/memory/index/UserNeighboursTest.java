package dev.engram.memory.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A memory's neighbours in its conversation: the previous and next of its session and type. */
class UserNeighboursTest {

  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  static VectorEntry at(UUID session, int minute, MemoryType type, MemoryState state) {
    return new VectorEntry(
        UUID.randomUUID(), type, state, T0.plusSeconds(60L * minute), session, new float[] {1, 0});
  }

  static VectorEntry turn(UUID session, int minute) {
    return at(session, minute, MemoryType.EPISODIC, MemoryState.ACTIVE);
  }

  final UUID one = UUID.randomUUID();
  final UUID two = UUID.randomUUID();

  @Test
  void theNearestEarlierAndLaterMemoryOfTheSameSessionAndType() {
    VectorEntry first = turn(one, 0);
    VectorEntry second = turn(one, 1);
    VectorEntry third = turn(one, 5);
    VectorEntry otherSession = turn(two, 2);
    VectorEntry fact = at(one, 2, MemoryType.SEMANTIC, MemoryState.ACTIVE);
    UserVectors v = new UserVectors(2, 0, 1);
    // stored out of order: time decides, not the row
    v.put(List.of(third, otherSession, first, fact, second));

    Map<UUID, UUID[]> around =
        v.neighbours(List.of(second.id(), first.id(), otherSession.id()), VectorFilter.live());

    assertThat(around.get(second.id())).containsExactly(first.id(), third.id());
    assertThat(around.get(first.id())).containsExactly(null, second.id());
    assertThat(around.get(otherSession.id())).containsExactly(null, null);
  }

  @Test
  void skipsMemoriesTheFilterRejectsAndMemoriesWithoutSession() {
    VectorEntry first = turn(one, 0);
    VectorEntry archived = at(one, 1, MemoryType.EPISODIC, MemoryState.ARCHIVED);
    VectorEntry third = turn(one, 2);
    VectorEntry loose = turn(null, 3);
    UserVectors v = new UserVectors(2, 0, 1);
    v.put(List.of(first, archived, third, loose));

    Map<UUID, UUID[]> around =
        v.neighbours(List.of(third.id(), loose.id(), UUID.randomUUID()), VectorFilter.live());

    assertThat(around.get(third.id())).containsExactly(first.id(), null);
    assertThat(around).doesNotContainKey(loose.id()).hasSize(1);
  }
}
