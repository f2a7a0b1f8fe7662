package dev.engram.orchestrator.service.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.llm.OfflineResponder;
import dev.engram.orchestrator.service.stm.AttentionScorer;
import dev.engram.orchestrator.service.stm.StmPolicy;
import dev.engram.orchestrator.service.stm.WorkingMemory;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TurnWarmUpTest {

  @Inject TurnWarmUp warmUp;
  @Inject UserState user;
  @Inject StmPolicy policy;
  @Inject AttentionScorer scorer;

  @Test
  void aRoundRunsTheTurnsStagesOnItsOwnWorkingSetAndAnswersAsATurnWould() {
    WorkingMemory stm = new WorkingMemory(policy, scorer);
    long userTurns = user.stm().turn();

    String first = warmUp.round(stm, 0);
    String second = warmUp.round(stm, 1);

    assertThat(first).startsWith(OfflineResponder.LABEL).contains("Here is what I remember");
    // the made-up memories alternate the user's words (#0, #2, ...) and answers (#1, #3, ...)
    assertThat(first).contains(" #0").doesNotContain(" #1").doesNotContain(" #3");
    assertThat(second).startsWith(OfflineResponder.LABEL);
    assertThat(stm.turn()).isEqualTo(2);
    assertThat(stm.items()).isNotEmpty();
    // nothing of it reaches the user's own state
    assertThat(user.stm().turn()).isEqualTo(userTurns);
  }
}
