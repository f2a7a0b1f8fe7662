package dev.engram.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.Topics;
import dev.engram.events.TurnCompleted;
import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A message sent again (a client that lost its connection cannot know whether the first got
 * through) starts no second turn and stores nothing twice: over the WebSocket by its {@code
 * clientMessageId}, over REST by its {@code Idempotency-Key}.
 */
@QuarkusTest
class IdempotentTurnsTest {

  @TestHTTPResource("/")
  URI base;

  @Test
  void aMessageSentAgainAfterItsTurnGetsThatTurnsFramesAndNoSecondTurn() {
    String user = Broker.freshUser("again");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.say("My bicycle is green", "m-1");
      JsonObject done = chat.await("done", f -> "m-1".equals(f.getString("clientMessageId")));

      chat.say("My bicycle is green", "m-1");
      // the repeat is answered to its sender only (no event id): the stored message and the answer
      JsonObject again = chat.await("done", f -> !f.containsKey("id"));
      assertThat(again.getString("clientMessageId")).isEqualTo("m-1");
      assertThat(again.getString("turnId")).isEqualTo(done.getString("turnId"));
      assertThat(again.getString("userMessageId")).isEqualTo(done.getString("userMessageId"));
      assertThat(again.getString("messageId")).isEqualTo(done.getString("messageId"));
      assertThat(again.getString("content")).isEqualTo(done.getString("content"));
      JsonObject message = chat.await("message", f -> !f.containsKey("id"));
      assertThat(message.getString("messageId")).isEqualTo(done.getString("userMessageId"));
      assertThat(message.getString("content")).isEqualTo("My bicycle is green");

      chat.say("And my car is red", "m-2");
      chat.await("done", f -> "m-2".equals(f.getString("clientMessageId")));
      UUID session = UUID.fromString(done.getString("sessionId"));
      assertThat(Fixtures.sessions().messagesOf(session))
          .extracting(
              m ->
                  m.getString("content").startsWith("[offline") ? "answer" : m.getString("content"))
          .containsExactly("My bicycle is green", "answer", "And my car is red", "answer");
      assertThat(chat.frames("error")).isEmpty();
    }
    // engram.turns is ordered per user: once m-2's turn is there, a second turn of m-1 would be too
    assertThat(turnsUntil(user, 2)).hasSize(2);
  }

  @Test
  void aMessageSentAgainWhileItsTurnRunsStartsNoSecondTurn() {
    String user = Broker.freshUser("twice");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      chat.say("Twice in a row, please only once", "r-1");
      chat.say("Twice in a row, please only once", "r-1");
      JsonObject done = chat.await("done", f -> "r-1".equals(f.getString("clientMessageId")));
      chat.say("The next one", "r-2");
      chat.await("done", f -> "r-2".equals(f.getString("clientMessageId")));

      assertThat(chat.frames("done"))
          .filteredOn(f -> "r-1".equals(f.getString("clientMessageId")))
          .hasSize(1);
      assertThat(
              chat.frames("token").stream()
                  .filter(f -> "r-1".equals(f.getString("clientMessageId")))
                  .map(f -> f.getString("turnId"))
                  .distinct())
          .containsExactly(done.getString("turnId"));
      UUID session = UUID.fromString(done.getString("sessionId"));
      assertThat(Fixtures.sessions().messagesOf(session))
          .extracting(m -> m.getString("role"))
          .containsExactly("user", "assistant", "user", "assistant");
      assertThat(chat.frames("error")).isEmpty();
    }
    assertThat(turnsUntil(user, 2)).hasSize(2);
  }

  @Test
  void theSameIdWithOtherContentIsRefused() {
    String user = Broker.freshUser("reused");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.say("The first words", "same");
      JsonObject done = chat.await("done");
      chat.say("Other words", "same");
      JsonObject error = chat.await("error");
      assertThat(error.getString("clientMessageId")).isEqualTo("same");
      assertThat(error.getJsonObject("problem").getString("type"))
          .isEqualTo("https://engram.dev/problems/idempotency-key-reused");
      assertThat(error.getJsonObject("problem").getInteger("status")).isEqualTo(422);
      assertThat(Fixtures.sessions().messagesOf(UUID.fromString(done.getString("sessionId"))))
          .hasSize(2);

      for (String bad : List.of("x".repeat(129), "naïve", "")) {
        chat.say("hello", bad);
      }
      List<JsonObject> invalid =
          org.awaitility.Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      chat.frames("error").stream()
                          .filter(
                              f ->
                                  f.getJsonObject("problem")
                                      .getString("type")
                                      .endsWith("/validation"))
                          .toList(),
                  list -> list.size() == 3);
      assertThat(invalid)
          .allSatisfy(
              f ->
                  assertThat(
                          f.getJsonObject("problem")
                              .getJsonArray("errors")
                              .getJsonObject(0)
                              .getString("field"))
                      .isEqualTo("clientMessageId"));
    }
  }

  @Test
  void aFailedTurnRunsAgainWhenItsMessageIsSentAgain() {
    String user = Broker.freshUser("retry");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.say("Hello there", "warm");
      UUID session = UUID.fromString(chat.await("done").getString("sessionId"));

      Fixtures.sessions().failUserAppends(1);
      chat.say("Is anyone storing this?", "f-1");
      JsonObject error = chat.await("error", f -> "f-1".equals(f.getString("clientMessageId")));
      assertThat(error.getJsonObject("problem").getString("type")).endsWith("/unavailable");
      assertThat(Fixtures.sessions().messagesOf(session)).hasSize(2);

      chat.say("Is anyone storing this?", "f-1");
      chat.await("done", f -> "f-1".equals(f.getString("clientMessageId")));
      assertThat(Fixtures.sessions().messagesOf(session))
          .extracting(m -> m.getString("role") + ":" + m.getString("idempotencyKey"))
          .containsExactly(
              "user:warm", "assistant:warm:answer", "user:f-1", "assistant:f-1:answer");
    } finally {
      Fixtures.sessions().failUserAppends(0);
    }
  }

  @Test
  void acrossAReleaseAndANewBindTheStoredMessageAndAnswerStandAlone() {
    String user = Broker.freshUser("rebind");
    JsonObject first;
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.say("Remember that my locker is number 42", "x-1");
      first = chat.await("done");
    }
    // the instance forgets its record of the ids; session-service's keys remain
    Broker.release().statusCode(200);
    Broker.bind(user).statusCode(200);
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.say("Remember that my locker is number 42", "x-1");
      JsonObject again = chat.await("done");
      assertThat(again.getString("sessionId")).isEqualTo(first.getString("sessionId"));
      assertThat(again.getString("userMessageId")).isEqualTo(first.getString("userMessageId"));
      assertThat(again.getString("messageId")).isEqualTo(first.getString("messageId"));
      assertThat(again.getString("content")).isEqualTo(first.getString("content"));
      assertThat(chat.frames("error")).isEmpty();
    }
    assertThat(Fixtures.sessions().messagesOf(UUID.fromString(first.getString("sessionId"))))
        .extracting(m -> m.getString("id"))
        .containsExactly(first.getString("userMessageId"), first.getString("messageId"));
  }

  @Test
  void anIdempotencyKeyRepeatOverRestReturnsTheSameTurn() {
    String user = Broker.freshUser("restkey");
    String key = UUID.randomUUID().toString();
    ExtractableResponse<Response> first = post(user, key, "Where did I park?").extract();
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.header(TurnResource.REPLAYED)).isNull();

    post(user, key, "Where did I park?")
        .statusCode(200)
        .header(TurnResource.REPLAYED, "true")
        .body("turnId", equalTo(first.path("turnId")))
        .body("userMessageId", equalTo(first.path("userMessageId")))
        .body("messageId", equalTo(first.path("messageId")))
        .body("content", equalTo(first.path("content")));
    post(user, key, "Somewhere else?")
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", endsWith("/idempotency-key-reused"));
    post(user, "x".repeat(129), "Where did I park?")
        .statusCode(400)
        .body("errors[0].field", equalTo("Idempotency-Key"));

    assertThat(Fixtures.sessions().messagesOf(UUID.fromString(first.path("sessionId"))))
        .extracting(m -> m.getString("role"))
        .containsExactly("user", "assistant");
  }

  @Test
  void twoRequestsWithOneKeyAtOnceShareOneTurn() {
    String user = Broker.freshUser("restrace");
    String key = UUID.randomUUID().toString();
    List<CompletableFuture<ExtractableResponse<Response>>> sent =
        List.of(
            CompletableFuture.supplyAsync(() -> post(user, key, "One question").extract()),
            CompletableFuture.supplyAsync(() -> post(user, key, "One question").extract()));
    List<ExtractableResponse<Response>> answers =
        sent.stream().map(CompletableFuture::join).toList();
    assertThat(answers).extracting(ExtractableResponse::statusCode).containsOnly(200);
    assertThat(answers.stream().map(a -> (String) a.path("turnId")).distinct()).hasSize(1);
    assertThat(answers.stream().filter(a -> "true".equals(a.header(TurnResource.REPLAYED))))
        .hasSize(1);
    assertThat(Fixtures.sessions().messagesOf(UUID.fromString(answers.get(0).path("sessionId"))))
        .hasSize(2);
  }

  private static io.restassured.response.ValidatableResponse post(
      String user, String key, String content) {
    return given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .contentType("application/json")
        .header("Idempotency-Key", key)
        .body(Map.of("content", content))
        .post("/api/v1/turns")
        .then();
  }

  /** The user's turn.completed events once there are {@code count} (each event id once). */
  private static List<TurnCompleted> turnsUntil(String user, int count) {
    List<CloudEvent<EventData>> events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.TURNS,
                user,
                list -> list.stream().map(CloudEvent::id).distinct().count() >= count,
                Duration.ofSeconds(30));
    return events.stream()
        .collect(
            java.util.stream.Collectors.toMap(
                CloudEvent::id, e -> e, (a, b) -> a, java.util.LinkedHashMap::new))
        .values()
        .stream()
        .map(e -> (TurnCompleted) e.data())
        .toList();
  }
}
