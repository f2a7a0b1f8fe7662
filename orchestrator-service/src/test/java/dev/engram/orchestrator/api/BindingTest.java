package dev.engram.orchestrator.api;

import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.engram.orchestrator.service.binding.Binding;
import dev.engram.orchestrator.service.binding.BindingService;
import dev.engram.orchestrator.service.binding.BindingState;
import dev.engram.orchestrator.service.realtime.ChatHub;
import dev.engram.orchestrator.service.realtime.Frames;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BindingTest {

  @TestHTTPResource("/")
  URI base;

  @Inject BindingState state;
  @Inject BindingService bindings;
  @Inject ChatHub hub;
  @Inject VerifiedTokens tokens;

  @BeforeEach
  void unbound() {
    Broker.release().statusCode(200);
  }

  @Test
  void anUnboundInstanceIsReadyAndRefusesUsersWith503() {
    given().get("/q/health/ready").then().statusCode(200);
    given()
        .auth()
        .oauth2(TestTokens.forUser("alice"))
        .get("/api/v1/stm")
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .body("type", endsWith("/unavailable"));
    given()
        .auth()
        .oauth2(Broker.token())
        .get("/internal/v1/status")
        .then()
        .statusCode(200)
        .body("state", equalTo("UNBOUND"))
        .body("userId", nullValue())
        .body("startedAt", notNullValue())
        .body("instance", notNullValue());
  }

  @Test
  void bindServesOnlyTheBoundUser() {
    String user = "bob-" + UUID.randomUUID();
    Broker.bind(user)
        .statusCode(200)
        .body("userId", equalTo(user))
        .body("boundAt", notNullValue())
        .body("restored", equalTo(false));

    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .get("/api/v1/stm")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(0));
    given()
        .auth()
        .oauth2(TestTokens.forUser("mallory"))
        .get("/api/v1/stm")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("type", endsWith("/forbidden"));
    given().get("/api/v1/stm").then().statusCode(401).contentType("application/problem+json");
    given()
        .auth()
        .oauth2(Broker.token())
        .get("/internal/v1/status")
        .then()
        .body("state", equalTo("BOUND"))
        .body("userId", equalTo(user))
        .body("lastActivityAt", notNullValue());
  }

  @Test
  void bindIsIdempotentForTheSameUserAndConflictsForAnother() {
    String user = "carol-" + UUID.randomUUID();
    String boundAt = Broker.bind(user).statusCode(200).extract().path("boundAt");
    Broker.bind(user).statusCode(200).body("boundAt", equalTo(boundAt));
    Broker.bind("dave")
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", endsWith("/conflict"));
  }

  @Test
  void theBrokersOwnUsersAreBoundForItButNeverServedToACaller() {
    // the broker primes a new instance by binding .engram-prime through the internal API
    Broker.bind(".engram-prime").statusCode(200).body("userId", equalTo(".engram-prime"));
    // a token for that user from outside (signed by anyone who holds the key) is refused
    String token = TestTokens.forUser(".engram-prime");
    for (String path : List.of("/api/v1/stm", "/api/v1/context/preview")) {
      given()
          .auth()
          .oauth2(token)
          .get(path)
          .then()
          .statusCode(403)
          .contentType("application/problem+json")
          .body("type", endsWith("/reserved-user"));
    }
    assertThat(ChatClient.refusal(base, token)).isEqualTo(403);
    // a bound ordinary user is still served
    String user = Broker.freshUser("after-prime");
    given().auth().oauth2(TestTokens.forUser(user)).get("/api/v1/stm").then().statusCode(200);
  }

  @Test
  void onlyTheBrokerMayBind() {
    bindRequest(
            TestTokens.forUser("alice"),
            "application/json",
            Map.of("userId", "alice", "claimId", "c1"))
        .statusCode(403)
        .contentType("application/problem+json");
    given()
        .contentType("application/json")
        .body(Map.of("userId", "alice", "claimId", "c1"))
        .post("/internal/v1/bind")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(TestTokens.forUser("alice"))
        .get("/internal/v1/status")
        .then()
        .statusCode(403);
  }

  @Test
  void theBindRouteRefusesExpiredTamperedAndForeignTokensBeforeBinding() {
    Map<String, String> body = Map.of("userId", "erin", "claimId", "c1");
    String broker = Broker.token();
    String tampered = broker.substring(0, broker.length() - 4) + "AAAA";
    for (String token :
        List.of(tampered, TestTokens.expired("container-broker", Duration.ofMinutes(5)), "x.y.z")) {
      bindRequest(token, "application/json", body)
          .statusCode(401)
          .contentType("application/problem+json")
          .body("type", endsWith("/unauthorized"))
          .body("instance", equalTo("/internal/v1/bind"));
    }
    given()
        .header("Authorization", "Basic Y29udGFpbmVyLWJyb2tlcjp4")
        .contentType("application/json")
        .body(body)
        .post("/internal/v1/bind")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    bindRequest(TestTokens.forUser("erin"), "application/json", body)
        .statusCode(403)
        .body("type", endsWith("/forbidden"));
    assertThat(state.current()).isEmpty();
  }

  @Test
  void theBindRouteRefusesBodiesThatAreNotOneSmallJsonObject() {
    bindRequest(Broker.token(), "text/plain", "userId=erin")
        .statusCode(415)
        .contentType("application/problem+json");
    bindRequest(Broker.token(), "application/json", "[\"erin\", \"c1\"]")
        .statusCode(400)
        .body("type", endsWith("/malformed-request"));
    bindRequest(
            Broker.token(),
            "application/json",
            "{\"userId\": {\"name\": \"erin\"}, \"claimId\": \"c1\"}")
        .statusCode(400)
        .body("type", endsWith("/malformed-request"));
    bindRequest(Broker.token(), "application/json", null)
        .statusCode(400)
        .body("detail", equalTo("A JSON body {userId, claimId} is required"));
    bindRequest(
            Broker.token(),
            "application/json",
            Map.of("userId", "erin", "claimId", "c".repeat(20_000)))
        .statusCode(413)
        .contentType("application/problem+json");
    bindRequest(
            Broker.token(),
            "application/json",
            Map.of("userId", "erin", "claimId", "c".repeat(257)))
        .statusCode(400)
        .body("errors[0].field", equalTo("claimId"));
    assertThat(state.current()).isEmpty();
  }

  @Test
  void theBindAnswerIsTheBindingTheInstanceNowHolds() {
    String user = "frank-" + UUID.randomUUID();
    String boundAt =
        Broker.bind(user)
            .statusCode(200)
            .contentType("application/json")
            .body("userId", equalTo(user))
            .body("restored", equalTo(false))
            .extract()
            .path("boundAt");
    Binding binding = state.current().orElseThrow();
    assertThat(binding.userId()).isEqualTo(user);
    assertThat(binding.boundAt().toString()).isEqualTo(boundAt);
    given()
        .auth()
        .oauth2(Broker.token())
        .get("/internal/v1/status")
        .then()
        .body("state", equalTo("BOUND"))
        .body("userId", equalTo(user))
        .body("boundAt", equalTo(boundAt));
  }

  @Test
  void badBindRequestsAreProblems() {
    bindRequest(Broker.token(), "application/json", "{not json")
        .statusCode(400)
        .body("type", endsWith("/malformed-request"));
    bindRequest(Broker.token(), "application/json", Map.of("claimId", "c"))
        .statusCode(400)
        .body("type", endsWith("/validation"))
        .body("errors[0].field", equalTo("userId"));
    bindRequest(Broker.token(), "application/json", Map.of("userId", "x y", "claimId", "c"))
        .statusCode(400);
    given()
        .auth()
        .oauth2(Broker.token())
        .get("/internal/v1/status")
        .then()
        .body("state", equalTo("UNBOUND"));
  }

  @Test
  void releaseSnapshotsAndTheNextBindRestores() {
    String user = Broker.freshUser("erin");
    turn(user, "Remember that my passport expires in March 2027");
    var before =
        given()
            .auth()
            .oauth2(TestTokens.forUser(user))
            .get("/api/v1/stm")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(before.getList("items")).isNotEmpty();

    Broker.release().statusCode(200).body("state", equalTo("UNBOUND"));
    assertThat(RedisServer.shared().command("EXISTS engram:orchestrator:state:" + user))
        .isEqualTo(":1");

    // Another user gets a clean instance: nothing of the previous user is left.
    String other = "frank-" + UUID.randomUUID();
    Broker.bind(other).statusCode(200).body("restored", equalTo(false));
    given()
        .auth()
        .oauth2(TestTokens.forUser(other))
        .get("/api/v1/stm")
        .then()
        .body("items.size()", equalTo(0))
        .body("sessionId", nullValue());
    Broker.release().statusCode(200);

    Broker.bind(user).statusCode(200).body("restored", equalTo(true));
    var after =
        given()
            .auth()
            .oauth2(TestTokens.forUser(user))
            .get("/api/v1/stm")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(after.getList("items.key")).isEqualTo(before.getList("items.key"));
    assertThat(after.getString("sessionId")).isEqualTo(before.getString("sessionId"));
  }

  /** Runs one turn of {@code user} over REST. */
  private static void turn(String user, String content) {
    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .contentType("application/json")
        .body(Map.of("content", content))
        .post("/api/v1/turns")
        .then()
        .statusCode(200);
  }

  @Test
  void checkpointsAskedForWhileOneWaitsAreThatOneAndSaveTheLatestState() {
    String user = Broker.freshUser("hana");
    Binding binding = state.current().orElseThrow();
    List<Uni<Void>> checkpoints = new ArrayList<>();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    // Redis holds the first save back until all are asked for (on a busy machine it could
    // otherwise be done before the loop is, and the third would start a save of its own)
    boolean paused = RedisServer.shared().restartable();
    if (paused) {
      RedisServer.shared().command("CLIENT PAUSE 5000 WRITE");
    }
    try {
      for (int i = 0; i < 50; i++) {
        Uni<Void> checkpoint = bindings.checkpoint(binding);
        checkpoints.add(checkpoint);
        done.add(checkpoint.subscribeAsCompletionStage().toCompletableFuture());
      }
    } finally {
      if (paused) {
        RedisServer.shared().command("CLIENT UNPAUSE");
      }
    }
    // the first saves at once; all the others were asked for while the second waited for it
    assertThat(checkpoints.subList(2, 50)).allMatch(c -> c == checkpoints.get(1));
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).orTimeout(10, SECONDS).join();
    turn(user, "My favourite tea is sencha");
    bindings.checkpoint(binding).await().atMost(Duration.ofSeconds(10));
    assertThat(RedisServer.shared().command("EXISTS engram:orchestrator:state:" + user))
        .isEqualTo(":1");

    Broker.release().statusCode(200);
    Broker.bind(user).statusCode(200).body("restored", equalTo(true));
    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .get("/api/v1/stm")
        .then()
        .statusCode(200)
        .body("items.text", org.hamcrest.Matchers.hasItem("My favourite tea is sencha"));
  }

  @Test
  void releaseWhileRedisIsDownFailsAndKeepsTheBinding() {
    String user = Broker.freshUser("gina");
    RedisServer.shared().stop();
    try {
      Broker.release().statusCode(503).contentType("application/problem+json");
      given()
          .auth()
          .oauth2(Broker.token())
          .get("/internal/v1/status")
          .then()
          .body("state", equalTo("BOUND"))
          .body("userId", equalTo(user));
    } finally {
      RedisServer.shared().start();
    }
    org.awaitility.Awaitility.await().untilAsserted(() -> Broker.release().statusCode(200));
  }

  @Test
  void releaseForgetsTheUsersTokensAndTheNextUserRefusesThem() {
    String broker = Broker.token();
    String user = Broker.freshUser("tokens");
    String token = TestTokens.forUser(user);
    given().auth().oauth2(token).get("/api/v1/stm").then().statusCode(200);
    try (ChatClient chat = ChatClient.connect(base, token, null)) {
      chat.await("hello");
    }
    given().auth().oauth2(broker).get("/internal/v1/status").then().statusCode(200);
    assertThat(tokens.remembers(token)).isTrue();
    assertThat(tokens.remembers(broker)).isTrue();

    given().auth().oauth2(broker).post("/internal/v1/release").then().statusCode(200);

    assertThat(tokens.remembers(token)).isFalse();
    assertThat(tokens.remembers(broker)).isTrue(); // the broker's token carries no user's data
    // refused while unbound, and not remembered for it
    given().auth().oauth2(token).get("/api/v1/stm").then().statusCode(503);
    assertThat(tokens.remembers(token)).isFalse();

    // bound to someone else: the previous user's token is refused, and still not remembered
    String next = Broker.freshUser("tokens-next");
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/stm")
        .then()
        .statusCode(403)
        .body("type", endsWith("/forbidden"));
    assertThat(ChatClient.refusal(base, token)).isEqualTo(403);
    assertThat(tokens.remembers(token)).isFalse();
    String nextToken = TestTokens.forUser(next);
    given().auth().oauth2(nextToken).get("/api/v1/stm").then().statusCode(200);
    assertThat(tokens.remembers(nextToken)).isTrue();
    Broker.release().statusCode(200);
    assertThat(tokens.remembers(nextToken)).isFalse();
  }

  @Test
  void aFrameOfAnEndedBindingNeverReachesTheNextUser() {
    String first = "first-" + UUID.randomUUID();
    Broker.bind(first).statusCode(200);
    Binding ended = state.current().orElseThrow();
    Broker.release().statusCode(200);

    String next = "next-" + UUID.randomUUID();
    Broker.bind(next).statusCode(200);
    Binding current = state.current().orElseThrow();
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(next), null)) {
      chat.await("hello");
      // what a turn of the first user still running at its release would push: dropped
      assertThat(hub.publish(ended, Frames.TOKEN, Map.of("delta", "the first user's answer")))
          .isNull();
      assertThat(hub.publish(current, Frames.TOKEN, Map.of("delta", "yours"))).isNotNull();
      JsonObject token = chat.await(Frames.TOKEN);
      assertThat(token.getString("delta")).isEqualTo("yours");
      assertThat(chat.frames(Frames.TOKEN)).hasSize(1);
    }
    Broker.release().statusCode(200);
  }

  /** A bind request with this token, content type and body (none if null), its answer to check. */
  private static io.restassured.response.ValidatableResponse bindRequest(
      String token, String contentType, Object body) {
    var request = given().auth().oauth2(token).contentType(contentType);
    if (body != null) {
      request = request.body(body);
    }
    return request.post("/internal/v1/bind").then();
  }
}
