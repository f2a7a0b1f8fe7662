package dev.engram.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.events.CloudEvent;
import dev.engram.events.MessageAppended;
import dev.engram.events.MessageRole;
import dev.engram.events.Sources;
import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.orchestrator.hooks.MarkerHooks;
import dev.engram.orchestrator.service.context.ContextItem;
import dev.engram.orchestrator.service.context.ContextSource;
import dev.engram.orchestrator.service.llm.OfflineResponder;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * On bind the instance pre-loads the restored session's last messages, so the first turn takes them
 * from what it holds instead of asking session-service; the user's events keep them current, and
 * the user's first WebSocket connection refreshes them from session-service.
 */
@QuarkusTest
class PreloadTest {

  @TestHTTPResource("/")
  URI base;

  @Test
  void theFirstTurnAfterABindTakesTheRestoredMessagesWithoutReadingThem() {
    String user = Broker.freshUser("preload");
    String session = turn(user, null, "My bicycle is a green Brompton");
    turn(user, session, "I ride it along the canal to work");
    Broker.release().statusCode(200);

    Broker.bind(user).statusCode(200).body("restored", equalTo(true));
    int reads = contextReads(user, session);
    JsonPath first = turnAnswer(user, null, MarkerHooks.MARKER + " Which bicycle do I ride?");

    assertThat(first.getString("sessionId")).isEqualTo(session);
    assertThat(contextReads(user, session)).isEqualTo(reads);
    // both exchanges (the two offline answers say the same, so one is dropped as a duplicate)
    assertThat(immediateTexts(user))
        .contains("My bicycle is a green Brompton", "I ride it along the canal to work")
        .anyMatch(text -> text.startsWith(OfflineResponder.LABEL));
    assertThat(first.getInt("contextSummary.bySource.immediate")).isEqualTo(3);
    Broker.release().statusCode(200);
  }

  @Test
  void aMessageAppendedElsewhereAfterThePreloadReachesTheNextTurn() {
    String user = Broker.freshUser("preload-appended");
    String session = turn(user, null, "We are planning the garden shed");
    Broker.release().statusCode(200);
    Broker.bind(user).statusCode(200).body("restored", equalTo(true));

    appendThroughTheGateway(user, session, "The shed will be cedar", true);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              turnAnswer(user, session, MarkerHooks.MARKER + " What is the shed made of?");
              assertThat(immediateTexts(user)).contains("The shed will be cedar");
            });
    Broker.release().statusCode(200);
  }

  @Test
  void aMessageAppendedElsewhereBeforeTheReleaseIsReadAfterTheNextBind() {
    String user = Broker.freshUser("preload-stale");
    String token = TestTokens.forUser(user);
    String session = turn(user, null, "I keep bees on the roof");
    // read once, so the instance holds the session's last messages
    assertThat(previewImmediate(token, session)).contains("I keep bees on the roof");
    appendThroughTheGateway(user, session, "The queen is marked blue", true);
    // once the instance has seen the event, its held messages are dropped and read again
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(previewImmediate(token, session)).contains("The queen is marked blue"));
    Broker.release().statusCode(200);

    Broker.bind(user).statusCode(200).body("restored", equalTo(true));
    int reads = contextReads(user, session);
    turnAnswer(user, null, MarkerHooks.MARKER + " What colour is the queen?");

    // the snapshot did not hold the session's last messages as complete: they were read
    assertThat(contextReads(user, session)).isGreaterThan(reads);
    assertThat(immediateTexts(user))
        .contains("I keep bees on the roof", "The queen is marked blue");
    Broker.release().statusCode(200);
  }

  @Test
  void theFirstWebSocketConnectionRefreshesThePreloadedMessages() {
    String user = Broker.freshUser("preload-ws");
    String session = turn(user, null, "I am learning the cello");
    Broker.release().statusCode(200);
    // stored while the user was unbound: no instance read its event
    appendThroughTheGateway(user, session, "My teacher is called Ines", false);

    Broker.bind(user).statusCode(200).body("restored", equalTo(true));
    int reads = contextReads(user, session);
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      // the refresh reads the session once, in the background
      await().atMost(Duration.ofSeconds(10)).until(() -> contextReads(user, session) == reads + 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                turnAnswer(user, null, MarkerHooks.MARKER + " Who teaches me?");
                assertThat(immediateTexts(user)).contains("My teacher is called Ines");
              });
    }
    // the turns took what the refresh read
    assertThat(contextReads(user, session)).isEqualTo(reads + 1);
    Broker.release().statusCode(200);
  }

  /** How many times session-service was asked for the session's last messages by the user. */
  private static int contextReads(String user, String session) {
    return (int)
        Fixtures.sessions().requests().stream()
            .filter(r -> user.equals(r.user()))
            .filter(r -> r.path().startsWith("/api/v1/sessions/" + session + "/context"))
            .count();
  }

  /** The immediate messages of the context of the user's last marked turn. */
  private static List<String> immediateTexts(String user) {
    return MarkerHooks.contextOf(user).of(ContextSource.IMMEDIATE).stream()
        .map(ContextItem::text)
        .toList();
  }

  private static List<String> previewImmediate(String token, String session) {
    return given()
        .auth()
        .oauth2(token)
        .queryParam("q", "What do you know?")
        .queryParam("sessionId", session)
        .get("/api/v1/context/preview")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items.findAll { it.source == 'immediate' }.text", String.class);
  }

  /**
   * Stores a message in session-service itself (the REST API through the gateway), not through this
   * instance; with its {@code message.appended} event if {@code event}.
   */
  private static void appendThroughTheGateway(
      String user, String session, String content, boolean event) {
    String token = TestTokens.forUser(user);
    JsonPath stored =
        given()
            .auth()
            .oauth2(token)
            .contentType("application/json")
            .body(Map.of("role", "user", "content", content, "metadata", Map.of()))
            .post(Fixtures.sessions().url() + "/api/v1/sessions/" + session + "/messages")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    if (event) {
      EmbeddedKafka.shared()
          .publish(
              CloudEvent.of(
                  Sources.SESSION_SERVICE,
                  user,
                  new MessageAppended(
                      UUID.fromString(session),
                      UUID.fromString(stored.getString("id")),
                      stored.getLong("sequence"),
                      MessageRole.USER,
                      content,
                      Map.of(),
                      Instant.now())));
    }
  }

  private static String turn(String user, String session, String content) {
    return turnAnswer(user, session, content).getString("sessionId");
  }

  private static JsonPath turnAnswer(String user, String session, String content) {
    Map<String, Object> body = new HashMap<>(Map.of("content", content));
    if (session != null) {
      body.put("sessionId", session);
    }
    return given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .contentType("application/json")
        .body(body)
        .post("/api/v1/turns")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
