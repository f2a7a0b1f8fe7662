package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.engram.testing.Prometheus;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RecallResourceTest {

  @jakarta.inject.Inject dev.engram.memory.service.RetrievalReinforcement reinforcement;

  static ValidatableResponse recall(String user, Map<String, ?> body) {
    return as(user).body(body).post("/api/v1/recall").then().log().ifValidationFails();
  }

  @Test
  void ranksItsHitsAsASearchDoes() {
    String recaller = null;
    for (Map<String, Object> query :
        List.<Map<String, Object>>of(
            Map.of("query", "What is the name of my dog?", "k", 5),
            Map.of("query", "travel documents expiring", "k", 3),
            Map.of(
                "query",
                "what happened",
                "k",
                10,
                "from",
                "2026-02-03T00:00:00Z",
                "to",
                "2026-02-08T00:00:00Z"))) {
      // two users with the same memories, neither reinforced yet (a retrieval reinforces what it
      // returns, in the background: a second query of the same users would meet strengths that
      // moved at different moments): one recalls, the other searches
      recaller = SearchResourceTest.userWithTheConversation("recaller");
      String searcher = SearchResourceTest.userWithTheConversation("searcher");
      List<Map<String, Object>> recalled =
          recall(recaller, query).statusCode(200).extract().path("hits");
      List<Map<String, Object>> searched =
          Api.search(searcher, query).statusCode(200).extract().path("hits");
      assertThat(recalled).isNotEmpty().hasSameSizeAs(searched);
      for (int i = 0; i < recalled.size(); i++) {
        assertThat(content(recalled.get(i))).isEqualTo(content(searched.get(i)));
        assertThat(((Number) recalled.get(i).get("score")).doubleValue())
            .isCloseTo(((Number) searched.get(i).get("score")).doubleValue(), within(1e-3));
      }
    }
    // the time window is applied: only memories of Feb 3..7
    recall(
            recaller,
            Map.of("query", "dog", "from", "2026-02-03T00:00:00Z", "to", "2026-02-08T00:00:00Z"))
        .statusCode(200)
        .body("hits", hasSize(5))
        .body("hits.memory.content", not(hasItem(SearchResourceTest.CONVERSATION.get(1))));
  }

  @SuppressWarnings("unchecked")
  private static String content(Map<String, Object> hit) {
    return (String) ((Map<String, Object>) hit.get("memory")).get("content");
  }

  @Test
  void includesProceduresOnlyWhenAsked() {
    String user = Api.newUser("procedures");
    Api.create(user, "My dog Biscuit is a golden retriever who goes crazy for the beach.");
    String procedure =
        Api.create(
            user,
            "Here is how to restart the home server:\n1. ssh into it\n2. run sudo reboot\n"
                + "3. wait for the fans");
    String id =
        as(user)
            .queryParam("task", "restart the server")
            .get("/api/v1/procedures")
            .then()
            .statusCode(200)
            .body("[0].task", equalTo("restart the home server"))
            .extract()
            .path("[0].id");
    assertThat(procedure).isNotBlank();
    recall(user, Map.of("query", "restart the server", "procedures", 3))
        .statusCode(200)
        .body("procedures[0].id", equalTo(id))
        .body("procedures[0].type", equalTo("PROCEDURAL"))
        .body("procedures[0].task", equalTo("restart the home server"))
        .body("procedures[0].steps", hasSize(3))
        .body("procedures[0].successCount", equalTo(0))
        .body("hits.memory.content", hasItem(org.hamcrest.Matchers.containsString("server")));
    recall(user, Map.of("query", "restart the server"))
        .statusCode(200)
        .body("procedures", hasSize(0))
        .body("hits", not(hasSize(0)));
    recall(user, Map.of("query", "restart the server", "procedures", 0))
        .statusCode(200)
        .body("procedures", hasSize(0));
  }

  @Test
  void recallsOnlyTheCallersOwnMemories() {
    String owner = Api.newUser("owner");
    String other = Api.newUser("other");
    String mine = Api.create(owner, "My locker code at the gym is 4711, next to the sauna.");
    Api.create(
        owner,
        "Here is how to reset the gym locker:\n1. press clear\n2. enter the code\n3. turn the"
            + " knob");
    String theirs = Api.create(other, "The gym locker by the sauna is broken again.");
    Map<String, Object> query = Map.of("query", "gym locker code sauna", "procedures", 5);
    recall(other, query)
        .statusCode(200)
        .body("hits.memory.id", hasItem(theirs))
        .body("hits.memory.id", not(hasItem(mine)))
        .body("procedures", hasSize(0));
    recall(owner, query)
        .statusCode(200)
        .body("hits.memory.id", hasItem(mine))
        .body("hits.memory.id", not(hasItem(theirs)))
        .body("procedures.task", hasItems("reset the gym locker"));
  }

  @Test
  void rejectsBadRecalls() {
    String user = Api.newUser("bad");
    for (Map<String, Object> body :
        List.<Map<String, Object>>of(
            Map.of("query", "   "), Map.of("k", 3), Map.of("query", "x".repeat(2001)))) {
      recall(user, body)
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors.field", hasItem("query"));
    }
    recall(user, Map.of("query", "dog", "k", 0)).statusCode(400).body("errors.field", hasItem("k"));
    recall(user, Map.of("query", "dog", "k", 101))
        .statusCode(400)
        .body("errors.field", hasItem("k"));
    recall(user, Map.of("query", "dog", "procedures", -1))
        .statusCode(400)
        .body("errors.field", hasItem("procedures"));
    recall(user, Map.of("query", "dog", "procedures", 21))
        .statusCode(400)
        .body("errors.field", hasItem("procedures"));
    recall(
            user,
            Map.of("query", "dog", "from", "2026-02-08T00:00:00Z", "to", "2026-02-01T00:00:00Z"))
        .statusCode(400)
        .body("errors.field", hasItem("from"));
    recall(user, Map.of("query", "dog", "from", "yesterday"))
        .statusCode(400)
        .contentType("application/problem+json");
    as(user).body("").post("/api/v1/recall").then().statusCode(400);
    as(user)
        .body("{\"query\": ")
        .post("/api/v1/recall")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    // exactly the longest query is fine
    recall(user, Map.of("query", "x".repeat(2000))).statusCode(200).body("hits", hasSize(0));
  }

  @Test
  void aRecallThatAsksForNoReinforcementChangesNothing() {
    String user = Api.newUser("look");
    String memory = Api.create(user, "The spare key to the allotment shed is under the blue pot.");
    Api.create(
        user,
        "Here is how to open the allotment shed:\n1. find the spare key\n2. lift the latch\n"
            + "3. push the door hard");
    // the procedure extracted from it (a lookup reinforces it: written before the traces are read)
    String procedure =
        as(user)
            .queryParam("task", "open the allotment shed")
            .get("/api/v1/procedures")
            .then()
            .statusCode(200)
            .extract()
            .path("[0].id");
    reinforcement.flush(user).await().atMost(java.time.Duration.ofSeconds(10));
    List<Long> memoryBefore = trace(memory);
    List<Long> procedureBefore = trace(procedure);
    Map<String, Object> look =
        Map.of("query", "allotment shed key", "procedures", 3, "reinforce", false);

    recall(user, look)
        .statusCode(200)
        .body("hits.memory.id", hasItem(memory))
        .body("procedures.id", hasItem(procedure));
    recall(user, look).statusCode(200); // twice: still nothing
    // whatever the recalls left pending is written now
    reinforcement.flush(user).await().atMost(java.time.Duration.ofSeconds(10));
    assertThat(trace(memory)).isEqualTo(memoryBefore);
    assertThat(trace(procedure)).isEqualTo(procedureBefore);
    assertThat(trace(memory).get(0)).isZero(); // no access counted

    // without the flag (and with it true) a recall reinforces what it returns, as a search does
    recall(user, Map.of("query", "allotment shed key", "procedures", 3)).statusCode(200);
    reinforcement.flush(user).await().atMost(java.time.Duration.ofSeconds(10));
    assertThat(trace(memory).get(0)).isEqualTo(1);
    assertThat(trace(procedure).get(0)).isEqualTo(procedureBefore.get(0) + 1);
    assertThat(trace(memory).get(2)).isPositive(); // accessed
    assertThat(trace(memory).get(3)).isGreaterThan(memoryBefore.get(3)); // reinforced now
    recall(user, Map.of("query", "allotment shed key", "reinforce", true)).statusCode(200);
    reinforcement.flush(user).await().atMost(java.time.Duration.ofSeconds(10));
    assertThat(trace(memory).get(0)).isEqualTo(2);

    // the events: one memory.reinforced per reinforcing recall, none for the looks (the outbox
    // publishes in order, so the looks' would have come before the first)
    java.util.function.Function<
            List<dev.engram.events.CloudEvent<dev.engram.events.EventData>>, Long>
        reinforcedOfMemory =
            events ->
                events.stream()
                    .map(dev.engram.events.CloudEvent::data)
                    .filter(dev.engram.events.MemoryReinforced.class::isInstance)
                    .map(dev.engram.events.MemoryReinforced.class::cast)
                    .filter(r -> r.memoryId().toString().equals(memory))
                    .count();
    List<dev.engram.events.CloudEvent<dev.engram.events.EventData>> events =
        dev.engram.testing.EmbeddedKafka.shared()
            .eventsForUser(
                dev.engram.events.Topics.MEMORIES,
                user,
                read -> reinforcedOfMemory.apply(read) >= 2,
                java.time.Duration.ofSeconds(30));
    assertThat(reinforcedOfMemory.apply(events)).isEqualTo(2);
  }

  /**
   * What a reinforcement changes of a memory's row: access count, stored strength (×10⁹), last
   * access and last reinforcement (epoch ms, 0 for none).
   */
  private static List<Long> trace(String id) {
    String db = "engram_memory_test";
    return List.of(
        dev.engram.testing.TestDatabase.queryLong(
            db, "select access_count from memory where id = ?::uuid", id),
        dev.engram.testing.TestDatabase.queryLong(
            db, "select (strength * 1e9)::bigint from memory where id = ?::uuid", id),
        dev.engram.testing.TestDatabase.queryLong(
            db,
            "select coalesce((extract(epoch from last_accessed_at) * 1000)::bigint, 0) from memory"
                + " where id = ?::uuid",
            id),
        dev.engram.testing.TestDatabase.queryLong(
            db,
            "select coalesce((extract(epoch from reinforced_at) * 1000)::bigint, 0) from memory"
                + " where id = ?::uuid",
            id));
  }

  @Test
  void needsAToken() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("query", "dog"))
        .post("/api/v1/recall")
        .then()
        .statusCode(401);
  }

  @Test
  void timesEachStageOfARecall() {
    String user = Api.newUser("stages");
    Api.create(user, "My dog is called Rex");
    double before = stageCount("total");

    recall(user, Map.of("query", "What is my dog called?", "procedures", 2)).statusCode(200);

    assertThat(stageCount("total")).isEqualTo(before + 1);
    for (String stage : List.of("embed", "vectors", "lexemes", "candidates", "rows")) {
      assertThat(stageCount(stage)).as(stage).isGreaterThanOrEqualTo(before + 1);
    }
  }

  /** How many recalls the stage's timer recorded so far (0 before the first). */
  static double stageCount(String stage) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return Prometheus.sum(
        metrics, "engram_memory_recall_stage_seconds_count", "stage=\"" + stage + "\"");
  }
}
