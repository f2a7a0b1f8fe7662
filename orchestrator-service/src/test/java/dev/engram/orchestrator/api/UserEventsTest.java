package dev.engram.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.FactCategory;
import dev.engram.events.FactExtracted;
import dev.engram.events.MessageAppended;
import dev.engram.events.MessageRole;
import dev.engram.events.SessionLinked;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.events.TurnCompleted;
import dev.engram.events.TurnContextSource;
import dev.engram.events.UserErased;
import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.orchestrator.messaging.UserErasedConsumer;
import dev.engram.orchestrator.messaging.UserEventsListener;
import dev.engram.orchestrator.service.binding.Binding;
import dev.engram.orchestrator.service.binding.BindingState;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An unbound instance reads no events at all; a bound one reads its user's events (the memory
 * updates are covered by {@link ChatWebSocketTest}), including {@code user.erased}, and a message
 * or a fact it did not see being made reaches the next turn's context although the instance holds
 * the session's last messages and the facts.
 */
@QuarkusTest
class UserEventsTest {

  @Inject UserEventsListener listener;
  @Inject UserErasedConsumer erasures;
  @Inject BindingState state;

  @Test
  void onlyABoundInstanceReadsEvents() {
    Broker.release().statusCode(200);
    assertThat(listener.reading()).isFalse();
    Broker.freshUser("reader");
    assertThat(listener.reading()).isTrue();
    Broker.release().statusCode(200);
    assertThat(listener.reading()).isFalse();
  }

  @Test
  void anErasedUserIsForgottenWithTheirSnapshot() {
    String user = Broker.freshUser("erased");
    turn(TestTokens.forUser(user), null, "My locker code is 4711");
    Broker.release().statusCode(200);
    String key = "EXISTS engram:orchestrator:state:" + user;
    assertThat(RedisServer.shared().command(key)).isEqualTo(":1");
    Broker.bind(user).statusCode(200).body("restored", equalTo(true));

    EmbeddedKafka.shared()
        .publish(CloudEvent.of(Sources.SESSION_SERVICE, user, new UserErased(Instant.now(), 1, 2)));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                given()
                    .auth()
                    .oauth2(Broker.token())
                    .get("/internal/v1/status")
                    .then()
                    .body("state", equalTo("UNBOUND")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> RedisServer.shared().command(key).equals(":0"));
    // the user comes back and leaves without saying anything: nothing of theirs is stored again
    Broker.bind(user).statusCode(200).body("restored", equalTo(false));
    Broker.release().statusCode(200);
    assertThat(RedisServer.shared().command(key)).isEqualTo(":0");
  }

  @Test
  void anErasedUserWhoIsNotBoundHereLosesTheirSnapshotThroughTheBroker() {
    String user = Broker.freshUser("erased-away");
    turn(TestTokens.forUser(user), null, "My bike is the blue one");
    Broker.release().statusCode(200);
    String key = "EXISTS engram:orchestrator:state:" + user;
    assertThat(RedisServer.shared().command(key)).isEqualTo(":1");

    given()
        .auth()
        .oauth2(Broker.token())
        .contentType("application/json")
        .body(Map.of("userId", user))
        .post("/internal/v1/erase")
        .then()
        .statusCode(204);

    assertThat(RedisServer.shared().command(key)).isEqualTo(":0");
    given()
        .auth()
        .oauth2(Broker.token())
        .get("/internal/v1/status")
        .then()
        .body("state", equalTo("UNBOUND"));
    Broker.bind(user).statusCode(200).body("restored", equalTo(false));
    Broker.release().statusCode(200);
  }

  @Test
  void anErasureFromBeforeTheBindIsLeftToTheBroker() {
    String user = Broker.freshUser("back");
    Binding binding = state.current().orElseThrow();
    CloudEvent<UserErased> earlier =
        new CloudEvent<>(
            "erasure-" + user,
            "user.erased",
            Sources.SESSION_SERVICE,
            binding.boundAt().minusMillis(500),
            user,
            1,
            new UserErased(binding.boundAt().minusMillis(500), 1, 2));
    erasures.consume(earlier, binding).await().indefinitely();
    assertThat(state.boundTo(user)).isTrue();

    CloudEvent<UserErased> later = CloudEvent.of(Sources.SESSION_SERVICE, user, earlier.data());
    erasures.consume(later, binding).await().indefinitely();
    assertThat(state.boundTo(user)).isFalse();
  }

  @Test
  void eraseIsForTheBrokerOnly() {
    given()
        .auth()
        .oauth2(TestTokens.forUser("someone"))
        .contentType("application/json")
        .body(Map.of("userId", "someone"))
        .post("/internal/v1/erase")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(Broker.token())
        .contentType("application/json")
        .body(Map.of("userId", "not a user id!"))
        .post("/internal/v1/erase")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void aLinkMadeInSessionServiceReachesTheNextTurnsContext() {
    String user = Broker.freshUser("linked");
    String token = TestTokens.forUser(user);
    String parent = turn(token, null, "My sister Clara lives in Reykjavik");
    String child =
        given()
            .auth()
            .oauth2(token)
            .contentType("application/json")
            .body(Map.of("title", "Later", "tags", List.of()))
            .post(Fixtures.sessions().url() + "/api/v1/sessions")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    assertThat(turn(token, child, "Planning a trip")).isEqualTo(child);

    // linked through the gateway, that is in session-service itself, not through this instance
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("parentSessionId", parent))
        .post(Fixtures.sessions().url() + "/api/v1/sessions/" + child + "/link")
        .then()
        .statusCode(200);
    EmbeddedKafka.shared()
        .publish(
            CloudEvent.of(
                Sources.SESSION_SERVICE,
                user,
                new SessionLinked(UUID.fromString(child), UUID.fromString(parent), Instant.now())));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                given()
                    .auth()
                    .oauth2(token)
                    .contentType("application/json")
                    .body(Map.of("sessionId", child, "content", "Who lives in Reykjavik?"))
                    .post("/api/v1/turns")
                    .then()
                    .statusCode(200)
                    // the session's metadata and the parent's summary, each under its name
                    .body("contextSummary.bySource.session", equalTo(1))
                    .body("contextSummary.bySource.parent", equalTo(1)));
    // and so does turn.completed, under the contract's names
    List<CloudEvent<EventData>> turns =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.TURNS,
                user,
                events ->
                    events.stream()
                        .map(e -> (TurnCompleted) e.data())
                        .anyMatch(t -> t.itemsFrom(TurnContextSource.PARENT) == 1),
                Duration.ofSeconds(20));
    TurnCompleted linked =
        turns.stream()
            .map(e -> (TurnCompleted) e.data())
            .filter(t -> t.itemsFrom(TurnContextSource.PARENT) == 1)
            .findFirst()
            .orElseThrow();
    assertThat(linked.itemsFrom(TurnContextSource.SESSION)).isEqualTo(1);
    assertThat(linked.contextItemsBySource().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(linked.contextItems());
    Broker.release().statusCode(200);
  }

  @Test
  void aMessageStoredThroughTheGatewayReachesTheNextTurnsContext() {
    String user = Broker.freshUser("appended");
    String token = TestTokens.forUser(user);
    String session = turn(token, null, "I am repainting the kitchen");
    assertThat(previewTexts(token, session, "immediate")).contains("I am repainting the kitchen");

    // stored in session-service itself (the REST API through the gateway), not by this instance
    String stored =
        given()
            .auth()
            .oauth2(token)
            .contentType("application/json")
            .body(Map.of("role", "user", "content", "My locker code is 4711", "metadata", Map.of()))
            .post(Fixtures.sessions().url() + "/api/v1/sessions/" + session + "/messages")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    EmbeddedKafka.shared()
        .publish(
            CloudEvent.of(
                Sources.SESSION_SERVICE,
                user,
                new MessageAppended(
                    UUID.fromString(session),
                    UUID.fromString(stored),
                    3,
                    MessageRole.USER,
                    "My locker code is 4711",
                    Map.of(),
                    Instant.now())));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(previewTexts(token, session, "immediate"))
                    .contains("My locker code is 4711"));
    Broker.release().statusCode(200);
  }

  @Test
  void aFactExtractedAfterTheFactsWereReadReachesTheNextTurnsContext() {
    String user = Broker.freshUser("fact");
    String token = TestTokens.forUser(user);
    Fixtures.memories().addFact(user, "PREFERENCE", "user", "likes", "green tea");
    String session = turn(token, null, "Good morning");
    assertThat(previewTexts(token, session, "facts")).anyMatch(t -> t.contains("green tea"));

    Fixtures.memories().addFact(user, "KNOWLEDGE", "user", "has_sister_named", "Clara");
    EmbeddedKafka.shared()
        .publish(
            CloudEvent.of(
                Sources.MEMORY_SERVICE,
                user,
                new FactExtracted(
                    UUID.randomUUID(),
                    UUID.randomUUID(),
                    FactCategory.KNOWLEDGE,
                    "user",
                    "has_sister_named",
                    "Clara",
                    0.9,
                    null,
                    null,
                    Instant.now())));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(previewTexts(token, session, "facts"))
                    .anyMatch(t -> t.contains("Clara")));
    Broker.release().statusCode(200);
  }

  /** The texts of the items from {@code source} in the context a message would get now. */
  private static List<String> previewTexts(String token, String session, String source) {
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
        .getList("items.findAll { it.source == '" + source + "' }.text", String.class);
  }

  private static String turn(String token, String session, String content) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of("content", content));
    if (session != null) {
      body.put("sessionId", session);
    }
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(body)
        .post("/api/v1/turns")
        .then()
        .statusCode(200)
        .extract()
        .path("sessionId");
  }
}
