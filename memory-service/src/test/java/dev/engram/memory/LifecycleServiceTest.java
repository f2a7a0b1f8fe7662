package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.events.MemoryArchived;
import dev.engram.events.MemoryConsolidated;
import dev.engram.events.MemoryDecayed;
import dev.engram.events.Topics;
import dev.engram.memory.service.LifecycleService;
import dev.engram.testing.EmbeddedKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LifecycleServiceTest {

  @Inject LifecycleService lifecycle;

  @AfterEach
  void backToNow() {
    TestClock.reset();
  }

  void sweep() {
    lifecycle.sweep().await().atMost(Duration.ofSeconds(60));
  }

  @Test
  void anUnusedMemoryDecaysThenIsDeletedAfterTheGracePeriod() {
    String user = Api.newUser("decay");
    String id = Api.create(user, "The parking ticket machine takes coins only");
    String cluster = as(user).get("/api/v1/memories/" + id).then().extract().path("clusterId");
    TestClock.advance(Duration.ofDays(60));
    sweep();
    as(user)
        .get("/api/v1/memories/" + id)
        .then()
        .statusCode(200)
        .body("state", equalTo("DECAYED"))
        .body("deleteAfter", notNullValue());
    Api.search(user, Map.of("query", "parking ticket coins"))
        .body("hits.memory.id", not(hasItem(id)));

    TestClock.advance(Duration.ofDays(8));
    sweep();
    as(user).get("/api/v1/memories/" + id).then().statusCode(404);
    // its cluster lost it, and the next cluster pass removes the empty cluster
    as(user)
        .get("/api/v1/clusters/" + cluster)
        .then()
        .statusCode(200)
        .body("cluster.size", equalTo(0));
    var events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.MEMORIES,
                user,
                read -> read.stream().anyMatch(e -> e.data() instanceof MemoryDecayed),
                Duration.ofSeconds(30));
    assertThat(events)
        .anyMatch(e -> e.data() instanceof MemoryDecayed d && d.memoryId().toString().equals(id));
  }

  @Test
  void reinforcementRevivesADecayedMemory() {
    String user = Api.newUser("revive");
    String id = Api.create(user, "The boiler reset button is behind the left panel");
    TestClock.advance(Duration.ofDays(60));
    sweep();
    as(user).get("/api/v1/memories/" + id).then().body("state", equalTo("DECAYED"));
    as(user)
        .post("/api/v1/memories/" + id + "/reinforce")
        .then()
        .statusCode(200)
        .body("state", equalTo("ACTIVE"));
    Api.search(user, Map.of("query", "boiler reset button")).body("hits.memory.id", hasItem(id));
  }

  @Test
  void aReinforcedMemoryIsConsolidatedThenArchivedWhenUnused() {
    String user = Api.newUser("consolidate");
    String id = Api.create(user, "Grandma's lasagne recipe needs three kinds of cheese");
    for (int i = 0; i < 3; i++) {
      as(user).post("/api/v1/memories/" + id + "/reinforce").then().statusCode(200);
    }
    TestClock.advance(Duration.ofHours(2));
    sweep();
    as(user).get("/api/v1/memories/" + id).then().body("state", equalTo("CONSOLIDATED"));

    TestClock.advance(Duration.ofDays(91));
    sweep();
    as(user).get("/api/v1/memories/" + id).then().body("state", equalTo("ARCHIVED"));
    Api.search(user, Map.of("query", "lasagne cheese recipe"))
        .body("hits.memory.id", not(hasItem(id)));
    Api.search(user, Map.of("query", "lasagne cheese recipe", "includeArchived", true))
        .body("hits.memory.id", hasItem(id));

    var events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.MEMORIES,
                user,
                read -> read.stream().anyMatch(e -> e.data() instanceof MemoryArchived),
                Duration.ofSeconds(30));
    assertThat(events).anyMatch(e -> e.data() instanceof MemoryConsolidated);
    // retrieval practice is written when the user's reinforcement window closes
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                as(user)
                    .get("/api/v1/memories/" + id)
                    .then()
                    .body("state", equalTo("CONSOLIDATED")));
    as(user)
        .get("/api/v1/analytics/summary")
        .then()
        .log()
        .ifValidationFails()
        .statusCode(200)
        // the search that included archived memories retrieved it, which revived it
        .body("byTypeAndState.EPISODIC.CONSOLIDATED", equalTo(1))
        .body("access.totalAccesses", equalTo(4))
        .body("ratesPerDayLast30Days.archived", org.hamcrest.Matchers.greaterThan(0f));
  }
}
