package dev.engram.orchestrator.service.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.events.TurnContextSource;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each context source is counted under a name of its own, the event contract's. */
class ContextSourceTest {

  @Test
  void everySourceHasItsOwnContractNameAndEveryContractNameASource() {
    assertThat(Arrays.stream(ContextSource.values()).map(ContextSource::label))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrder(
            Arrays.stream(TurnContextSource.values())
                .map(TurnContextSource::key)
                .toArray(String[]::new));
    assertThat(ContextSource.SESSION.label()).isEqualTo("session");
    assertThat(ContextSource.PARENT.label()).isEqualTo("parent");
    assertThat(ContextSource.PROMPT_ORDER).containsExactlyInAnyOrder(ContextSource.values());
  }
}
