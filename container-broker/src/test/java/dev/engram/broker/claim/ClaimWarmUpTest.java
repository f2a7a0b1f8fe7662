package dev.engram.broker.claim;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.broker.k8s.Labels;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.broker.testing.ChartObjects;
import dev.engram.broker.testing.Fake;
import dev.engram.broker.testing.FakeKubelet;
import dev.engram.broker.testing.KubernetesProfile;
import dev.engram.broker.testing.WarmUpProfile;
import dev.engram.events.PodClaimed;
import dev.engram.events.Topics;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.EmbeddedKafka.ConsumedEvent;
import dev.engram.testing.TestTokens;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim warm-up at start-up: its rounds run through the broker's own API against a real warm
 * pod (Kubernetes mock server, {@code FakeOrchestrator}), readiness waits for them, and nothing of
 * the reserved user is left for anyone to misread: no assignment or lock in Redis, no pod bound to
 * it, no pod event, no counted claim.
 */
@QuarkusTest
@TestProfile(WarmUpProfile.class)
@WithKubernetesTestServer(crud = true, setup = ChartObjects.class)
class ClaimWarmUpTest {

  private static final String NS = KubernetesProfile.NAMESPACE;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Inject ClaimWarmUp warmUp;
  @Inject PodRuntime runtime;
  @Inject RedisAPI redis;
  @Inject KubernetesClient client;

  @BeforeEach
  void kubelet() {
    Fake.trustTestKeys();
    FakeKubelet.shared(client, NS).mode(FakeKubelet.Mode.READY);
  }

  @Test
  void runsItsRoundsBeforeReadinessAndLeavesNothingOfItsUser() {
    await()
        .atMost(WAIT)
        .until(() -> warmUp.progress().state(System.nanoTime()) != ClaimWarmUp.State.RUNNING);
    assertThat(warmUp.progress().state(System.nanoTime())).isEqualTo(ClaimWarmUp.State.DONE);
    assertThat(warmUp.progress().roundsDone()).isEqualTo(WarmUpProfile.ROUNDS);
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'claim-warm-up' }.status", equalTo("UP"))
        .body(
            "checks.find { it.name == 'claim-warm-up' }.data.roundsDone",
            equalTo(WarmUpProfile.ROUNDS));

    // Redis: no assignment, no claim lock, no rate-limit bucket of the reserved user
    assertThat(keysMentioning(ClaimWarmUp.USER)).isEmpty();
    // the pool: the instances it used are back, unbound, and no pod carries the user
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(runtime.instances())
                  .noneMatch(i -> ClaimWarmUp.isWarmUpUser(i.userId()))
                  .anyMatch(Instance::isWarm);
              assertThat(
                      client.pods().inNamespace(NS).list().getItems().stream()
                          .map(p -> p.getMetadata().getAnnotations())
                          .filter(Objects::nonNull)
                          .map(a -> a.get(Labels.USER_ID)))
                  .noneMatch(ClaimWarmUp::isWarmUpUser);
            });

    // a real user's claim is published and counted; the warm-up's claims are neither
    String user = "after-warm-up-" + UUID.randomUUID();
    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .post("/api/v1/connect")
        .then()
        .statusCode(200)
        .body("userId", equalTo(user));
    List<ConsumedEvent> events =
        EmbeddedKafka.shared()
            .readUntil(
                Topics.PODS,
                read ->
                    read.stream()
                        .anyMatch(
                            e -> user.equals(e.key()) && e.event().data() instanceof PodClaimed),
                WAIT);
    assertThat(events).anyMatch(e -> user.equals(e.key()));
    assertThat(events)
        .noneMatch(
            e ->
                ClaimWarmUp.isWarmUpUser(e.key())
                    || String.valueOf(e.event()).contains(ClaimWarmUp.USER));
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .containsPattern("engram_broker_claim_seconds_count\\{[^}]*start=\"warm\"[^}]*\\} 1\\.0")
        .doesNotContain(ClaimWarmUp.USER);
  }

  @Test
  void noDevelopmentTokenIsIssuedForTheReservedUsers() {
    for (String reserved :
        List.of(ClaimWarmUp.USER, ClaimWarmUp.USER + "-1", OrchestratorClient.PRIME_USER)) {
      given()
          .contentType("application/json")
          .body(Map.of("userId", reserved))
          .post("/api/v1/dev/token")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("detail", org.hamcrest.Matchers.containsString("reserved"));
    }
    given()
        .contentType("application/json")
        .body(Map.of("userId", "engram-user.1"))
        .post("/api/v1/dev/token")
        .then()
        .statusCode(200);
  }

  @Test
  void aTokenForTheWarmUpsUserSignedByAnyoneElseIsRefused() {
    await()
        .atMost(WAIT)
        .until(() -> warmUp.progress().state(System.nanoTime()) != ClaimWarmUp.State.RUNNING);
    // the exact user of this replica's warm-up, with a valid signature, with or without a guessed
    // secret: only the warm-up's own tokens carry the one it drew
    for (String token :
        List.of(
            TestTokens.forUser(warmUp.user()),
            TestTokens.mint(
                warmUp.user(),
                List.of("user"),
                Duration.ofMinutes(5),
                Map.of(ClaimWarmUp.SECRET_CLAIM, "guessed")))) {
      given()
          .auth()
          .oauth2(token)
          .post("/api/v1/connect")
          .then()
          .statusCode(403)
          .contentType("application/problem+json")
          .body("type", equalTo("https://engram.dev/problems/reserved-user"));
      given().auth().oauth2(token).delete("/api/v1/connect").then().statusCode(403);
    }
    assertThat(runtime.instances()).noneMatch(i -> warmUp.user().equals(i.userId()));
  }

  private List<String> keysMentioning(String text) {
    List<String> keys = new ArrayList<>();
    Response all = redis.keysAndAwait("*" + text + "*");
    for (Response key : all) {
      keys.add(key.toString());
    }
    return keys;
  }
}
