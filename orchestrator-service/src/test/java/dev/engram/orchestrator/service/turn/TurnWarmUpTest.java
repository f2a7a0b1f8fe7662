package dev.engram.orchestrator.service.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.engram.orchestrator.api.Broker;
import dev.engram.orchestrator.api.ProblemException;
import dev.engram.orchestrator.client.LoopbackServices;
import dev.engram.orchestrator.client.MemoryHit;
import dev.engram.orchestrator.client.RecallRequest;
import dev.engram.orchestrator.client.Recalled;
import dev.engram.orchestrator.client.ServiceHttp;
import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.llm.OfflineResponder;
import dev.engram.orchestrator.service.stm.AttentionScorer;
import dev.engram.orchestrator.service.stm.StmPolicy;
import dev.engram.orchestrator.service.stm.WorkingMemory;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TurnWarmUpTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject TurnWarmUp warmUp;
  @Inject UserState user;
  @Inject StmPolicy policy;
  @Inject AttentionScorer scorer;
  @Inject ServiceHttp http;

  @BeforeEach
  void unbound() {
    Broker.release().statusCode(200);
  }

  @Test
  void whileUnboundTheWarmUpsRoundsCallTheLoopbackServices() {
    int before = warmUp.rounds();

    // each round: the recall, the facts, the session's last messages, the answer's store
    assertThat(warmUp.warm(3)).isEqualTo(new TurnWarmUp.Warmed(3, 12));
    assertThat(warmUp.rounds()).isEqualTo(before + 3);
  }

  @Test
  void aWarmUpThatRanAllItsRoundsIsReportedInTheBrokersStatus() {
    warmUp.run();

    assertThat(warmUp.warmedUp()).isTrue();
    Broker.status().statusCode(200).body("state", equalTo("UNBOUND")).body("warmedUp", is(true));
  }

  @Test
  void aBoundInstanceRunsNoWarmUpRoundAndIsNotReportedWarm() {
    int before = warmUp.rounds();
    Broker.freshUser("warm-up");
    try {
      assertThat(warmUp.warm(3)).isEqualTo(new TurnWarmUp.Warmed(0, 0));
      warmUp.run();

      assertThat(warmUp.rounds()).isEqualTo(before);
      assertThat(warmUp.warmedUp()).isFalse();
      Broker.status().statusCode(200).body("state", equalTo("BOUND")).body("warmedUp", is(false));
    } finally {
      Broker.release().statusCode(200);
    }
  }

  @Test
  void aRoundRunsTheTurnsStagesOnItsOwnWorkingSetAndAnswersAsATurnWould() {
    WorkingMemory stm = new WorkingMemory(policy, scorer);
    long userTurns = user.stm().turn();

    String first = warmUp.round(stm, 0, null);
    String second = warmUp.round(stm, 1, null);

    assertThat(first).startsWith(OfflineResponder.LABEL).contains("Here is what I remember");
    // the made-up memories alternate the user's words (#0, #2, ...) and answers (#1, #3, ...)
    assertThat(first).contains(" #0").doesNotContain(" #1").doesNotContain(" #3");
    assertThat(second).startsWith(OfflineResponder.LABEL);
    assertThat(stm.turn()).isEqualTo(2);
    assertThat(stm.items()).isNotEmpty();
    // nothing of it reaches the user's own state
    assertThat(user.stm().turn()).isEqualTo(userTurns);
  }

  @Test
  void withTheLoopbackServicesARoundGetsItsContextThroughTheServiceClients() {
    WorkingMemory stm = new WorkingMemory(policy, scorer);
    long userTurns = user.stm().turn();
    try (LoopbackServices services = warmUp.loopback()) {
      assertThat(services).isNotNull();

      String answer = warmUp.round(stm, 0, services);

      // the recall, the facts, the session's last messages, then the answer's store
      assertThat(services.served()).isEqualTo(4);
      assertThat(answer).startsWith(OfflineResponder.LABEL).contains(" #0").doesNotContain(" #1");
      assertThat(warmUp.round(stm, 1, services)).startsWith(OfflineResponder.LABEL);
      assertThat(services.served()).isEqualTo(8);
      assertThat(user.stm().turn()).isEqualTo(userTurns);

      // the stand-in answers in the services' shapes, which the clients parse as they would theirs
      Recalled recalled =
          services
              .memory()
              .recall(new RecallRequest("hiking", 8, null, null, 3), "any")
              .await()
              .atMost(WAIT);
      assertThat(recalled.hits()).hasSize(8);
      assertThat(recalled.hits()).extracting(MemoryHit::score).allMatch(s -> s > 0);
      assertThat(recalled.procedures()).hasSize(1);
      assertThat(services.memory().facts("any").await().atMost(WAIT)).hasSize(1);
      assertThat(services.sessions().context(UUID.randomUUID(), 10, "any").await().atMost(WAIT))
          .hasSize(1);
    }
  }

  @Test
  void theLoopbackServicesAnswerOnlyTheTurnsCallsAndOnlyUntilClosed() {
    LoopbackServices services = warmUp.loopback();
    String url = services.url();
    assertThat(url).startsWith("http://127.0.0.1:");
    try (services) {
      assertThatThrownBy(
              () ->
                  http.call("loopback", HttpMethod.GET, url + "/other", null, null)
                      .await()
                      .atMost(WAIT))
          .isInstanceOfSatisfying(
              ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
    }
    assertThatThrownBy(() -> services.memory().facts("any").await().atMost(WAIT))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(503));
  }
}
