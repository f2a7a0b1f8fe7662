package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static dev.engram.memory.Api.create;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.engram.events.EventData;
import dev.engram.events.MemoryCreated;
import dev.engram.events.MemoryReinforced;
import dev.engram.events.ReinforcementReason;
import dev.engram.events.Topics;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MemoryResourceTest {

  static final String DB = "engram_memory_test";

  @Test
  void addsReadsListsAndDeletesAMemory() {
    String alice = Api.newUser("alice");
    String id =
        create(
            alice,
            Map.of(
                "content",
                "We hiked up Mount Tamalpais at sunrise and it was wonderful!",
                "importance",
                0.9,
                "metadata",
                Map.of("source", "journal"),
                "occurredAt",
                "2025-06-01T06:30:00Z"));

    as(alice)
        .get("/api/v1/memories/" + id)
        .then()
        .statusCode(200)
        .body("type", equalTo("EPISODIC"))
        .body("state", equalTo("ACTIVE"))
        .body("occurredAt", equalTo("2025-06-01T06:30:00Z"))
        .body("metadata.source", equalTo("journal"))
        .body("valence", greaterThan(0f))
        .body("salience", greaterThan(0.5f))
        .body("clusterId", notNullValue());

    as(alice).get("/api/v1/memories").then().statusCode(200).body("items.id", hasItem(id));

    as(alice).delete("/api/v1/memories/" + id).then().statusCode(204);
    as(alice)
        .get("/api/v1/memories/" + id)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/not-found"));
    assertThat(TestDatabase.queryLong(DB, "select count(*) from memory where user_id = ?", alice))
        .isZero();
  }

  @Test
  void publishesMemoryCreated() {
    String user = Api.newUser("events");
    String id = create(user, "I finally repaired the old bicycle in the garage");
    List<dev.engram.events.CloudEvent<EventData>> events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.MEMORIES,
                user,
                read -> read.stream().anyMatch(e -> e.data() instanceof MemoryCreated),
                Duration.ofSeconds(30));
    MemoryCreated created =
        events.stream()
            .map(e -> e.data())
            .filter(MemoryCreated.class::isInstance)
            .map(MemoryCreated.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(created.memoryId()).hasToString(id);
    assertThat(created.content()).contains("bicycle");
  }

  @Test
  void pagesWithACursor() {
    String user = Api.newUser("pager");
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(Map.of("content", "note number " + i + " about gardening tomatoes"));
    }
    as(user)
        .body(Map.of("memories", batch))
        .urlEncodingEnabled(false)
        .post("/api/v1/memories:batch")
        .then()
        .statusCode(201)
        .body("created", hasSize(5));

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, Object> query = new HashMap<>(Map.of("limit", 2));
      if (cursor != null) {
        query.put("cursor", cursor);
      }
      var page = as(user).queryParams(query).get("/api/v1/memories").then().statusCode(200);
      seen.addAll(page.extract().path("items.id"));
      cursor = page.extract().path("nextCursor");
    } while (cursor != null);
    assertThat(seen).hasSize(5).doesNotHaveDuplicates();
  }

  @Test
  void anotherUsersMemoryIsNotFound() {
    String alice = Api.newUser("alice");
    String bob = Api.newUser("bob");
    String id = create(alice, "My bank PIN hint is the year my dog was born");

    as(bob).get("/api/v1/memories/" + id).then().statusCode(404);
    as(bob).delete("/api/v1/memories/" + id).then().statusCode(404);
    as(bob).post("/api/v1/memories/" + id + "/reinforce").then().statusCode(404);
    as(bob).get("/api/v1/memories").then().statusCode(200).body("items", hasSize(0));
    Api.search(bob, Map.of("query", "bank PIN dog")).statusCode(200).body("hits", hasSize(0));
    as(alice).get("/api/v1/memories/" + id).then().statusCode(200);
  }

  @Test
  void reinforcementRaisesStrengthAndAccessCount() {
    String user = Api.newUser("reinforce");
    String id = create(user, "The wifi password at the cabin is on the fridge");
    float before = as(user).get("/api/v1/memories/" + id).then().extract().path("strength");

    as(user)
        .post("/api/v1/memories/" + id + "/reinforce")
        .then()
        .statusCode(200)
        .body("accessCount", equalTo(1))
        .body("lastAccessedAt", notNullValue())
        .body("strength", greaterThan(before));
  }

  @Test
  void reinforcesARehearsedMemoryAsTheOrchestratorAsks() {
    String user = Api.newUser("rehearsal");
    String id = create(user, "My sister's birthday is on the ninth of May");
    float before = as(user).get("/api/v1/memories/" + id).then().extract().path("strength");

    // exactly the orchestrator's call: JSON body {"reason":"REHEARSAL"}
    as(user)
        .body("{\"reason\":\"REHEARSAL\"}")
        .post("/api/v1/memories/" + id + "/reinforce")
        .then()
        .statusCode(200)
        .body("id", equalTo(id))
        .body("accessCount", equalTo(1))
        .body("strength", greaterThan(before));
    as(user).get("/api/v1/memories/" + id).then().body("accessCount", equalTo(1));

    List<dev.engram.events.CloudEvent<EventData>> events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.MEMORIES,
                user,
                read -> read.stream().anyMatch(e -> e.data() instanceof MemoryReinforced),
                Duration.ofSeconds(30));
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e.data())
                    .isInstanceOfSatisfying(
                        MemoryReinforced.class,
                        r -> {
                          assertThat(r.memoryId()).hasToString(id);
                          assertThat(r.reason()).isEqualTo(ReinforcementReason.REHEARSAL);
                          assertThat(r.accessCount()).isEqualTo(1);
                        }));

    // reasons that only the service itself gives, and unknown ones, are refused
    for (String reason : List.of("RETRIEVAL", "PROCEDURE_SUCCESS", "BOREDOM")) {
      as(user)
          .body(Map.of("reason", reason))
          .post("/api/v1/memories/" + id + "/reinforce")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    as(user).get("/api/v1/memories/" + id).then().body("accessCount", equalTo(1));
  }

  @Test
  void requiresAToken() {
    given()
        .get("/api/v1/memories")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/unauthorized"));
    given().auth().oauth2("not-a-jwt").get("/api/v1/memories").then().statusCode(401);
  }

  @Test
  void rejectsBadInputWithProblems() {
    String user = Api.newUser("bad");
    as(user)
        .body(Map.of("content", "  "))
        .post("/api/v1/memories")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/validation"))
        .body("errors.field", hasItem("content"));
    as(user)
        .body(Map.of("content", "x", "importance", 3))
        .post("/api/v1/memories")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("importance"));
    as(user)
        .body(Map.of("content", "x", "type", "DREAM"))
        .post("/api/v1/memories")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("type"));
    as(user)
        .body("{not json")
        .post("/api/v1/memories")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    as(user)
        .body(Map.of("content", "x".repeat(16_001)))
        .post("/api/v1/memories")
        .then()
        .statusCode(413)
        .body("type", equalTo("https://engram.dev/problems/payload-too-large"));
    as(user)
        .body(Map.of("type", "PROCEDURAL", "content", "deploy"))
        .post("/api/v1/memories")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("task"))
        .body("errors.field", hasItem("steps"));
    as(user)
        .body(Map.of("memories", List.of(Map.of("content", "fine"), Map.of("content", ""))))
        .urlEncodingEnabled(false)
        .post("/api/v1/memories:batch")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("memories[1].content"));
    as(user).queryParam("cursor", "garbage!").get("/api/v1/memories").then().statusCode(400);
    as(user).queryParam("state", "SLEEPING").get("/api/v1/memories").then().statusCode(400);
    as(user).queryParam("limit", 0).get("/api/v1/memories").then().statusCode(400);
    as(user).get("/api/v1/memories/not-a-uuid").then().statusCode(404);
    assertThat(TestDatabase.queryLong(DB, "select count(*) from memory where user_id = ?", user))
        .isZero();
  }

  @Test
  void storesProceduresAndFacts() {
    String user = Api.newUser("proc");
    as(user)
        .body(
            Map.of(
                "type", "PROCEDURAL",
                "content", "Release the app",
                "task", "release the app",
                "steps", List.of("bump the version", "tag the commit", "push the tag")))
        .post("/api/v1/memories")
        .then()
        .statusCode(201)
        .body("type", equalTo("PROCEDURAL"))
        .body("steps", hasSize(3))
        .body("successCount", equalTo(0))
        .body("deleteAfter", nullValue());
  }

  @Test
  void aFactFromAMemoryWithoutATimeHoldsFromNow() {
    String user = Api.newUser("nowfact");
    Instant before = Instant.now().minusSeconds(1);
    as(user)
        .body(Map.of("content", "I live in Oslo."))
        .post("/api/v1/memories")
        .then()
        .statusCode(201);
    String validFrom =
        as(user)
            .get("/api/v1/facts")
            .then()
            .statusCode(200)
            .body("items.object", hasItem("Oslo"))
            .extract()
            .path("items.find { it.object == 'Oslo' }.validFrom");
    assertThat(Instant.parse(validFrom)).isAfter(before);
  }

  @Test
  void importedHistoryDoesNotReplaceANewerFact() {
    String user = Api.newUser("history");
    String lisbon = "2026-06-01T10:00:00Z";
    for (var memory :
        List.of(
            Map.of("content", "I live in Lisbon.", "occurredAt", lisbon),
            Map.of("content", "I live in Oslo.", "occurredAt", "2025-01-01T10:00:00Z"))) {
      as(user).body(memory).post("/api/v1/memories").then().statusCode(201);
    }
    as(user)
        .get("/api/v1/facts")
        .then()
        .statusCode(200)
        .body("items.object", hasItem("Lisbon"))
        .body("items.object", not(hasItem("Oslo")));
    as(user)
        .queryParam("history", true)
        .get("/api/v1/facts")
        .then()
        .statusCode(200)
        .body("items.find { it.object == 'Oslo' }.validTo", equalTo(lisbon))
        .body("items.find { it.object == 'Lisbon' }.validTo", nullValue());

    // a newer statement does supersede, from its own time on
    String bergen = "2026-09-01T10:00:00Z";
    as(user)
        .body(Map.of("content", "I live in Bergen.", "occurredAt", bergen))
        .post("/api/v1/memories")
        .then()
        .statusCode(201);
    as(user)
        .queryParam("history", true)
        .get("/api/v1/facts")
        .then()
        .body("items.find { it.object == 'Lisbon' }.validTo", equalTo(bergen))
        .body("items.find { it.object == 'Bergen' }.validTo", nullValue());
  }

  @Test
  void anExplicitFactIsItsMemoryAndPreferencesHoldSideBySide() {
    String user = Api.newUser("explicit");
    String tea = "tea";
    for (String object : List.of(tea, "hiking")) {
      as(user)
          .body(
              Map.of(
                  "type",
                  "SEMANTIC",
                  "content",
                  "Ada likes " + object,
                  "fact",
                  Map.of(
                      "category", "PREFERENCE",
                      "subject", "Ada",
                      "predicate", "likes",
                      "object", object)))
          .post("/api/v1/memories")
          .then()
          .statusCode(201);
    }
    List<String> semantic =
        as(user)
            .queryParam("type", "SEMANTIC")
            .get("/api/v1/memories")
            .then()
            .statusCode(200)
            .extract()
            .path("items.id");
    assertThat(semantic).as("one memory per fact, not two").hasSize(2);
    List<String> factMemories =
        as(user).get("/api/v1/facts").then().statusCode(200).extract().path("items.memoryId");
    assertThat(factMemories).containsExactlyInAnyOrderElementsOf(semantic);
    as(user)
        .get("/api/v1/facts")
        .then()
        .body("items.object", org.hamcrest.Matchers.containsInAnyOrder("tea", "hiking"));
  }
}
