package dev.engram.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.orchestrator.service.llm.OfflineResponder;
import dev.engram.testing.Prometheus;
import dev.engram.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TurnResourceTest {

  @TestHTTPResource("/")
  URI base;

  private static JsonPath turn(String user, Map<String, Object> body) {
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

  @Test
  void aBodyDeclaredOverTheLimitIsAProblemBeforeItIsSent() {
    dev.engram.testing.RawHttp.Reply reply =
        dev.engram.testing.RawHttp.declareBody(
            java.net.URI.create(
                io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port),
            "/api/v1/turns",
            TestTokens.forUser("big-" + UUID.randomUUID()),
            11L * 1024 * 1024);
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(reply.body())
        .contains("\"type\":\"https://engram.dev/problems/payload-too-large\"")
        .contains("\"limit\":10485760");
  }

  @Test
  void aTurnWithoutStreamingStartsASessionAndAnswers() {
    String user = Broker.freshUser("rest");
    JsonPath first = turn(user, Map.of("content", "My dog is called Biscuit"));
    assertThat(first.getString("content")).startsWith(OfflineResponder.LABEL);
    assertThat(first.getString("provider")).isEqualTo("offline");
    UUID session = UUID.fromString(first.getString("sessionId"));
    assertThat(Fixtures.sessions().session(session).getString("title"))
        .isEqualTo("My dog is called Biscuit");

    // The next turn continues the same session and sees the earlier exchange as immediate context.
    JsonPath second = turn(user, Map.of("content", "What is my dog called?"));
    assertThat(second.getString("sessionId")).isEqualTo(session.toString());
    assertThat(second.getInt("contextSummary.bySource.immediate")).isEqualTo(2);
    assertThat(Fixtures.sessions().messagesOf(session)).hasSize(4);
  }

  /** What the fixture of {@code service} received from the user: "METHOD /path" (no query). */
  private static List<String> calls(
      dev.engram.orchestrator.fixtures.FixtureServer service, String user) {
    return service.requests().stream()
        .filter(r -> user.equals(r.user()))
        .map(r -> r.method() + " " + r.path().replaceAll("\\?.*", ""))
        .toList();
  }

  /** The user's last recall request. */
  private static JsonObject lastRecall(String user) {
    return Fixtures.memories().recalls().stream()
        .filter(s -> s.getString("user").equals(user))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  @Test
  void aTurnRecallsMemoriesAndProceduresInOneCallAndANewSessionsMessagesAreNotRead() {
    String user = Broker.freshUser("recall");
    Fixtures.memories().addMemory(user, "The sourdough starter lives in the fridge", Instant.now());
    Fixtures.memories()
        .addProcedure(user, "bake sourdough bread", List.of("feed the starter", "mix", "proof"));
    JsonPath first = turn(user, Map.of("content", "How do I bake sourdough bread?"));
    // the recalled memory entered the working set this turn: it is in the context once, there
    assertThat(first.getInt("contextSummary.bySource.working")).isEqualTo(1);
    assertThat(first.getInt("contextSummary.bySource.long-term")).isZero();
    assertThat(first.getInt("contextSummary.bySource.procedures")).isEqualTo(1);
    assertThat(first.getList("contextSummary.degraded", String.class)).isEmpty();
    // one memory-service call recalls both, with the configured sizes
    assertThat(calls(Fixtures.memories(), user))
        .filteredOn(c -> !c.equals("GET /api/v1/facts"))
        .containsExactly("POST /api/v1/recall");
    assertThat(lastRecall(user).getInteger("k")).isEqualTo(8);
    assertThat(lastRecall(user).getInteger("procedures")).isEqualTo(3);
    // the turn created its session: it read none of the session's messages
    UUID session = UUID.fromString(first.getString("sessionId"));
    assertThat(calls(Fixtures.sessions(), user))
        .contains("POST /api/v1/sessions")
        .noneMatch(c -> c.endsWith("/context"));
    // the next turn in it does, and sees the first exchange
    JsonPath second = turn(user, Map.of("content", "How long should it proof?"));
    assertThat(second.getString("sessionId")).isEqualTo(session.toString());
    assertThat(second.getInt("contextSummary.bySource.immediate")).isEqualTo(2);
    assertThat(calls(Fixtures.sessions(), user))
        .contains("GET /api/v1/sessions/" + session + "/context");
  }

  @Test
  void timesEachStageBeforeTheFirstToken() {
    String user = Broker.freshUser("stages");
    List<String> stages = List.of("intake", "gather", "recall", "assembly", "answer");
    Map<String, Double> before = new java.util.HashMap<>();
    stages.forEach(stage -> before.put(stage, stageCount(stage)));

    turn(user, Map.of("content", "What did I plant in the garden?"));

    for (String stage : stages) {
      assertThat(stageCount(stage)).as(stage).isEqualTo(before.get(stage) + 1);
    }
  }

  /** How many turns the stage's timer recorded so far. */
  private static double stageCount(String stage) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return Prometheus.sum(metrics, "engram_turn_stage_seconds_count", "stage=\"" + stage + "\"");
  }

  @Test
  void aLongMessageIsRecalledForByItsBeginning() {
    String user = Broker.freshUser("long");
    Fixtures.memories()
        .addMemory(user, "The harbour ferry leaves at nine", Instant.now().minusSeconds(3600));
    String message = "  When does the harbour ferry leave? " + "and so on ".repeat(600);
    JsonPath result = turn(user, Map.of("content", message));
    assertThat(result.getList("contextSummary.degraded", String.class)).isEmpty();
    assertThat(result.getInt("contextSummary.bySource.working")).isEqualTo(1); // recalled
    assertThat(lastRecall(user).getString("query"))
        .hasSize(2000)
        .isEqualTo(message.strip().substring(0, 2000));
  }

  @Test
  void aPausedSessionIsResumedAndACompletedOneRefused() {
    String user = Broker.freshUser("lifecycle");
    UUID session = UUID.fromString(turn(user, Map.of("content", "hello")).getString("sessionId"));
    Fixtures.sessions().setStatus(session, "PAUSED");
    turn(user, Map.of("sessionId", session.toString(), "content", "back again"));
    assertThat(Fixtures.sessions().session(session).getString("status")).isEqualTo("ACTIVE");

    Fixtures.sessions().setStatus(session, "COMPLETED");
    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .contentType("application/json")
        .body(Map.of("sessionId", session.toString(), "content", "once more"))
        .post("/api/v1/turns")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", endsWith("/conflict"));
  }

  @Test
  void badTurnRequestsAreProblems() {
    String user = Broker.freshUser("badrest");
    var token = TestTokens.forUser(user);
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body("{")
        .post("/api/v1/turns")
        .then()
        .statusCode(400)
        .body("type", endsWith("/malformed-request"));
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("content", " "))
        .post("/api/v1/turns")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("content"));
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("content", "x".repeat(16_001)))
        .post("/api/v1/turns")
        .then()
        .statusCode(413)
        .body("type", endsWith("/payload-too-large"));
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("sessionId", "nope", "content", "x"))
        .post("/api/v1/turns")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("sessionId", UUID.randomUUID().toString(), "content", "x"))
        .post("/api/v1/turns")
        .then()
        .statusCode(404)
        .body("type", endsWith("/not-found"));
  }

  @Test
  void sessionServiceDownEndsTheTurnWith503AndStoresNothing() {
    String user = Broker.freshUser("down");
    Fixtures.sessions().down(true);
    try {
      given()
          .auth()
          .oauth2(TestTokens.forUser(user))
          .contentType("application/json")
          .body(Map.of("content", "anyone there?"))
          .post("/api/v1/turns")
          .then()
          .statusCode(503)
          .contentType("application/problem+json")
          .body("type", endsWith("/unavailable"));
    } finally {
      Fixtures.sessions().down(false);
    }
  }

  @Test
  void memoryServiceDownDegradesTheContextButTheTurnGoesOn() {
    String user = Broker.freshUser("degraded");
    Fixtures.memories().down(true);
    try {
      JsonPath result = turn(user, Map.of("content", "Do you remember my garden?"));
      assertThat(result.getList("contextSummary.degraded", String.class))
          .contains("long-term", "facts", "procedures");
    } finally {
      Fixtures.memories().down(false);
    }
  }

  @Test
  void timeAwareQuestionsNarrowTheLongTermSearch() {
    String user = Broker.freshUser("time");
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    ZonedDateTime lastWeek =
        now.truncatedTo(ChronoUnit.DAYS)
            .with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
            .minusWeeks(1)
            .plusDays(2);
    Fixtures.memories()
        .addMemory(user, "We agreed the budget for the kitchen is 5000", lastWeek.toInstant());
    Fixtures.memories()
        .addMemory(user, "The budget for the garden is 800", now.minusWeeks(5).toInstant());

    JsonPath preview =
        given()
            .auth()
            .oauth2(TestTokens.forUser(user))
            .queryParam("q", "What did I say last week about the budget?")
            .get("/api/v1/context/preview")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    assertThat(preview.getString("timeRange.phrase")).isEqualTo("last week");
    List<String> longTerm =
        preview.getList("items.findAll { it.source == 'long-term' }.text", String.class);
    assertThat(longTerm).hasSize(1);
    assertThat(longTerm.get(0)).contains("kitchen");
    JsonObject search =
        Fixtures.memories().recalls().stream()
            .filter(s -> s.getString("user").equals(user))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(search.getString("query")).isEqualTo("What did I say about the budget?");
    assertThat(Instant.parse(search.getString("from"))).isBefore(lastWeek.toInstant());
  }

  @Test
  void yesterdayIsTheDayOfTheTimeZoneTheClientNames() {
    String user = Broker.freshUser("zone");
    ZoneId auckland = ZoneId.of("Pacific/Auckland");
    Instant yesterday =
        ZonedDateTime.now(auckland).truncatedTo(ChronoUnit.DAYS).minusDays(1).toInstant();
    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .queryParam("q", "What did I say yesterday?")
        .queryParam("timeZone", "Pacific/Auckland")
        .get("/api/v1/context/preview")
        .then()
        .statusCode(200)
        .body("timeRange.phrase", equalTo("yesterday"))
        .body("timeRange.from", equalTo(yesterday.toString()));
    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .queryParam("q", "What did I say yesterday?")
        .queryParam("timeZone", "Mars/Olympus_Mons")
        .get("/api/v1/context/preview")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("timeZone"));
    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .contentType("application/json")
        .body(Map.of("content", "What did I say yesterday?", "timeZone", "not a zone"))
        .post("/api/v1/turns")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("timeZone"));
    // a turn in the zone narrows its long-term search to that day
    turn(user, Map.of("content", "What did I say yesterday?", "timeZone", "Pacific/Auckland"));
    JsonObject search =
        Fixtures.memories().recalls().stream()
            .filter(s -> s.getString("user").equals(user))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(Instant.parse(search.getString("from"))).isEqualTo(yesterday);
  }

  /** Where "yesterday" starts for a user in {@code zone}. */
  private static Instant yesterdayIn(String zone) {
    return ZonedDateTime.now(ZoneId.of(zone)).truncatedTo(ChronoUnit.DAYS).minusDays(1).toInstant();
  }

  /** The start of the window the preview of a time-aware question gets without a timeZone. */
  private static Instant previewedYesterday(String user, String timeZone) {
    var request =
        given()
            .auth()
            .oauth2(TestTokens.forUser(user))
            .queryParam("q", "What did I say yesterday?");
    if (timeZone != null) {
      request.queryParam("timeZone", timeZone);
    }
    return Instant.parse(
        request
            .get("/api/v1/context/preview")
            .then()
            .statusCode(200)
            .extract()
            .path("timeRange.from"));
  }

  /** The start of the window of the user's last recall. */
  private static Instant lastSearchFrom(String user) {
    return Instant.parse(
        Fixtures.memories().recalls().stream()
            .filter(s -> s.getString("user").equals(user))
            .reduce((a, b) -> b)
            .orElseThrow()
            .getString("from"));
  }

  @Test
  void theLastTimeZoneTheClientSentIsRememberedAcrossAReleaseAndANewBind() {
    // UTC+14 and UTC-10: "yesterday" starts at another instant than in UTC, whatever the hour
    String kiritimati = "Pacific/Kiritimati";
    String honolulu = "Pacific/Honolulu";
    String user = Broker.freshUser("tz");
    assertThat(previewedYesterday(user, null)).isEqualTo(yesterdayIn("UTC"));

    turn(user, Map.of("content", "Good morning", "timeZone", kiritimati));
    // a turn and a preview that name no zone are in the one the client last sent
    turn(user, Map.of("content", "What did I say yesterday?"));
    assertThat(lastSearchFrom(user)).isEqualTo(yesterdayIn(kiritimati));
    assertThat(previewedYesterday(user, null)).isEqualTo(yesterdayIn(kiritimati));
    // a preview changes nothing, not even the remembered zone
    assertThat(previewedYesterday(user, "UTC")).isEqualTo(yesterdayIn("UTC"));
    assertThat(previewedYesterday(user, null)).isEqualTo(yesterdayIn(kiritimati));

    // released (snapshot saved) and bound again under a new claim: the zone is restored
    Broker.release().statusCode(200);
    Broker.bind(user).statusCode(200);
    turn(user, Map.of("content", "What did I say yesterday?"));
    assertThat(lastSearchFrom(user)).isEqualTo(yesterdayIn(kiritimati));

    // the next zone sent, over the WebSocket this time, replaces it
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.send(
          new JsonObject()
              .put("type", "user_message")
              .put("content", "Back home now")
              .put("clientMessageId", "home")
              .put("timeZone", honolulu));
      chat.await("done", f -> "home".equals(f.getString("clientMessageId")));
    }
    assertThat(previewedYesterday(user, null)).isEqualTo(yesterdayIn(honolulu));
    Broker.release().statusCode(200);
  }

  @Test
  void thePreviewExplainsEveryItemAndTheStmShowsTheWorkingSet() {
    String user = Broker.freshUser("preview");
    Fixtures.memories().addFact(user, "PREFERENCE", "user", "likes", "green tea");
    Fixtures.memories().addFact(user, "KNOWLEDGE", "user", "has_sister_named", "Clara");
    Fixtures.memories().addFact(user, "KNOWLEDGE", "user", "name_is", "Ada");
    Fixtures.memories()
        .addProcedure(
            user, "bake sourdough bread", List.of("feed the starter", "mix", "proof overnight"));
    turn(user, Map.of("content", "I want to bake sourdough bread this weekend"));

    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .queryParam("q", "How do I bake sourdough bread?")
        .get("/api/v1/context/preview")
        .then()
        .statusCode(200)
        .body("items.source", hasItem("facts"))
        .body("items.source", hasItem("procedures"))
        .body("items.source", hasItem("profile"))
        .body("dropped.find { it.source == 'working' }.reason", equalTo("duplicate"))
        .body("items.source", hasItem("immediate"))
        .body(
            "items.find { it.source == 'profile' }.text",
            startsWith("name: Ada; prefers: green tea"))
        .body("items.find { it.source == 'procedures' }.why", startsWith("procedure, "))
        .body("items.find { it.source == 'profile' }.why", equalTo("the user's profile"))
        .body("items.find { it.source == 'immediate' }.why", equalTo("message #1 of this session"))
        .body(
            "items.findAll { it.source == 'facts' }.why",
            hasItem("preference fact, confidence 0.90"))
        .body("budget", equalTo(3000));

    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .get("/api/v1/stm")
        .then()
        .statusCode(200)
        .body("turn", equalTo(1))
        .body("items[0].text", equalTo("I want to bake sourdough bread this weekend"))
        .body("items[0].attention.total", notNullValue());

    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .get("/api/v1/context/preview")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .queryParam("q", "anything")
        .queryParam("sessionId", "not-a-uuid")
        .get("/api/v1/context/preview")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("sessionId"));
  }

  @Test
  void aPreviewReinforcesNoMemory() {
    String user = Broker.freshUser("look");
    UUID memory =
        Fixtures.memories()
            .addMemory(
                user,
                "The spare key to the allotment shed is under the blue pot",
                Instant.now().minusSeconds(3600));
    for (int i = 0; i < 2; i++) {
      given()
          .auth()
          .oauth2(TestTokens.forUser(user))
          .queryParam("q", "Where is the allotment shed key?")
          .get("/api/v1/context/preview")
          .then()
          .statusCode(200)
          .body("items.key", hasItem("memory:" + memory))
          .body("items.find { it.key == 'memory:" + memory + "' }.date", notNullValue());
      // memory-service is asked not to reinforce what it recalls for a preview
      assertThat(lastRecall(user).getBoolean("reinforce")).isFalse();
    }
    assertThat(Fixtures.memories().retrieved()).doesNotContain(memory.toString());
    assertThat(Fixtures.memories().reinforced()).doesNotContain(memory.toString());
    assertThat(Fixtures.memories().memory(memory).getInteger("accessCount")).isZero();

    // a turn's recall is retrieval practice (memory-service's default: the flag is left out)
    turn(user, Map.of("content", "Where is the allotment shed key?"));
    assertThat(lastRecall(user).containsKey("reinforce")).isFalse();
    assertThat(Fixtures.memories().retrieved()).contains(memory.toString());
    assertThat(Fixtures.memories().memory(memory).getInteger("accessCount")).isEqualTo(1);
  }

  @Test
  void rehearsedLongTermMemoriesAreReinforced() {
    String user = Broker.freshUser("rehearse");
    UUID memory =
        Fixtures.memories()
            .addMemory(
                user, "Clara's wedding is in Porto in June", Instant.now().minusSeconds(3600));
    turn(user, Map.of("content", "Tell me about Clara's wedding in Porto"));
    assertThat(Fixtures.memories().reinforced()).doesNotContain(memory.toString());

    turn(user, Map.of("content", "What should I wear to Clara's wedding in Porto?"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Fixtures.memories().reinforced().contains(memory.toString()));
  }
}
