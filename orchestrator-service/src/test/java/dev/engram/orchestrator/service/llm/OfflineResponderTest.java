package dev.engram.orchestrator.service.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.orchestrator.service.context.AssembledContext;
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
}
