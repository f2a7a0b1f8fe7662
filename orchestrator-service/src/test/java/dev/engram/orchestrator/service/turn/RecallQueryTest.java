package dev.engram.orchestrator.service.turn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecallQueryTest {

  @Test
  void aShortMessageIsRecalledForWhole() {
    assertThat(ContextGatherer.recallQuery("  my dog?\n")).isEqualTo("my dog?");
    String longest = "a".repeat(2000);
    assertThat(ContextGatherer.recallQuery(longest)).isEqualTo(longest);
  }

  @Test
  void aLongMessageIsCutToTheLongestQuery() {
    String message = "b".repeat(1990) + " " + "c".repeat(5000);
    assertThat(ContextGatherer.recallQuery(message)).isEqualTo(message.substring(0, 2000));
  }

  @Test
  void theCutDoesNotSplitACharacter() {
    // U+1F600 is two chars; the 2000th would be its first half
    String message = "d".repeat(1999) + "\uD83D\uDE00" + "e".repeat(10);
    String query = ContextGatherer.recallQuery(message);
    assertThat(query).isEqualTo("d".repeat(1999));
    assertThat(Character.isHighSurrogate(query.charAt(query.length() - 1))).isFalse();
  }
}
