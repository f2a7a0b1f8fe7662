package dev.engram.memory.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetrievalReinforcementTest {

  static List<UUID> ids(int n) {
    return IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).toList();
  }

  @Test
  void aWindowIsWrittenInChunksOfAtMostTheSetting() {
    List<UUID> window = ids(250);
    List<List<UUID>> parts = RetrievalReinforcement.chunks(window, 100);
    assertThat(parts).extracting(List::size).containsExactly(100, 100, 50);
    List<UUID> joined = new ArrayList<>();
    parts.forEach(joined::addAll);
    assertThat(joined).as("every memory once, in order").isEqualTo(window);
  }

  @Test
  void zeroOrAWindowWithinOneChunkIsOneTransaction() {
    List<UUID> window = ids(250);
    assertThat(RetrievalReinforcement.chunks(window, 0)).containsExactly(window);
    assertThat(RetrievalReinforcement.chunks(window, 250)).containsExactly(window);
    assertThat(RetrievalReinforcement.chunks(ids(1), 100)).hasSize(1);
  }
}
