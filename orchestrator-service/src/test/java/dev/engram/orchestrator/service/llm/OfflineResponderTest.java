package dev.engram.orchestrator.service.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.ContextAssembler;
import dev.engram.orchestrator.service.context.ContextCandidates;
import dev.engram.orchestrator.service.context.ContextItem;
import dev.engram.orchestrator.service.context.ContextSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineResponderTest {

  private static Prompt prompt(String message, List<ContextItem> items) {
    return new Prompt(
        List.of(), new AssembledContext(message, items, List.of(), 1000, List.of()), null);
  }

  @Test
  void everyAnswerIsLabelledAndStreamsWordByWord() {
    OfflineResponder responder = new OfflineResponder();
    List<String> deltas =
        responder.stream(prompt("hello there", List.of()))
            .collect()
            .asList()
            .await()
            .indefinitely();
    String answer = String.join("", deltas);
    assertThat(answer).startsWith(OfflineResponder.LABEL);
    assertThat(answer).contains("do not remember anything related");
    assertThat(deltas.size()).isGreaterThan(5);
  }

  @Test
  void answersWithWhatItRemembersThatIsRelated() {
    String answer =
        OfflineResponder.answer(
            prompt(
                "Where does my sister live?",
                List.of(
                    new ContextItem(
                        ContextSource.PROFILE, "p", null, "name: Alice; prefers: tea", 1, "t"),
                    new ContextItem(
                        ContextSource.LONG_TERM,
                        "l1",
                        null,
                        "My sister Clara lives in Lisbon",
                        0.9,
                        "t"),
                    new ContextItem(
                        ContextSource.LONG_TERM,
                        "l2",
                        null,
                        "The car needs new tyres",
                        0.2,
                        "t"))));
    assertThat(answer).startsWith(OfflineResponder.LABEL);
    assertThat(answer).contains("Hello Alice.");
    assertThat(answer).contains("- My sister Clara lives in Lisbon");
    assertThat(answer).doesNotContain("tyres");
  }

  @Test
  void quotesWhatTheUserSaidButNoAnswerAndEachMemoryOnce() {
    String earlierAnswer =
        OfflineResponder.LABEL
            + "\nHere is what I remember that seems related:\n- My sister Clara lives in Lisbon";
    java.time.LocalDate day = java.time.LocalDate.parse("2026-12-01");
    // assembled as a turn's context is: a memory recalled and held in working memory is there once
    AssembledContext context =
        new ContextAssembler(1000, 400)
            .assemble(
                new ContextCandidates(
                    "Where does my sister Clara live?",
                    List.of(),
                    List.of(
                        new ContextItem(
                            ContextSource.LONG_TERM,
                            "memory:1",
                            "user",
                            "My sister Clara lives in Lisbon",
                            0.9,
                            "t",
                            day,
                            null),
                        new ContextItem(
                            ContextSource.LONG_TERM,
                            "memory:2",
                            "assistant",
                            "Your sister Clara is an architect in Lisbon",
                            0.8,
                            "t",
                            day,
                            null),
                        new ContextItem(
                            ContextSource.LONG_TERM,
                            "memory:3",
                            null,
                            earlierAnswer,
                            0.7,
                            "t",
                            day.plusDays(1),
                            null),
                        new ContextItem(
                            ContextSource.WORKING,
                            "memory:1",
                            "user",
                            "My sister Clara lives in Lisbon",
                            0.6,
                            "t",
                            day,
                            null))));
    String answer = OfflineResponder.answer(new Prompt(List.of(), context, null));
    assertThat(answer).contains("- [2026-12-01] My sister Clara lives in Lisbon");
    assertThat(answer).doesNotContain("architect");
    assertThat(answer.indexOf(OfflineResponder.LABEL, 1)).isEqualTo(-1);
    assertThat(answer.split("\n- ")).hasSize(2);
  }
}
