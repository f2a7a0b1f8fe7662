package dev.engram.session.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.Topics;
import dev.engram.events.UserErased;
import dev.engram.session.Api;
import dev.engram.session.TestInfrastructure;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UserResourceTest {

  private static final List<String> TABLES = List.of("sessions", "messages", "outbox");

  @Test
  void exportsEverySessionWithItsMessagesAndNothingOfOthers() {
    Api alice = Api.newUser();
    Api bob = Api.newUser();
    String first = alice.createSession(Map.of("title", "First", "tags", List.of("x")));
    for (int i = 1; i <= 7; i++) {
      alice.append(first, "first " + i).statusCode(201);
    }
    String second = alice.createSession("Second");
    alice.append(second, "second 1").statusCode(201);
    String empty = alice.createSession("Empty");
    alice.transition(empty, "complete").statusCode(200);
    bob.append(bob.createSession("Bob's"), "bob's secret").statusCode(201);

    var response = alice.request().get("/api/v1/users/me/export").then().statusCode(200).extract();
    assertThat(response.contentType()).startsWith("application/json");
    JsonPath export = response.jsonPath();

    assertThat(export.getString("userId")).isEqualTo(alice.user());
    assertThat(export.getString("exportedAt")).isNotBlank();
    assertThat(export.getList("sessions.session.id", String.class))
        .containsExactly(empty, second, first);
    assertThat(export.getString("sessions[2].session.title")).isEqualTo("First");
    assertThat(export.getList("sessions[2].session.tags", String.class)).containsExactly("x");
    assertThat(export.getList("sessions[2].messages.sequence", Integer.class))
        .containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(export.getList("sessions[2].messages.content", String.class))
        .first()
        .isEqualTo("first 1");
    assertThat(export.getList("sessions[1].messages.content", String.class))
        .containsExactly("second 1");
    assertThat(export.getList("sessions[0].messages")).isEmpty();
    assertThat(export.getString("sessions[0].session.status")).isEqualTo("COMPLETED");
    assertThat(response.asString()).doesNotContain("bob's secret");
  }

  @Test
  void exportOfAUserWithoutDataIsAnEmptyDocument() {
    Api nobody = Api.newUser();
    nobody
        .request()
        .get("/api/v1/users/me/export")
        .then()
        .statusCode(200)
        .body("userId", equalTo(nobody.user()))
        .body("sessions", hasSize(0));
  }

  @Test
  void erasureDeletesEverythingOfTheUserAndPublishesUserErased() {
    Api alice = Api.newUser();
    Api bob = Api.newUser();
    String parent = alice.createSession("Parent");
    alice.append(parent, "one").statusCode(201);
    alice.append(parent, "two").statusCode(201);
    String child = alice.createSession(Map.of("title", "Child", "parentSessionId", parent));
    alice.append(child, "three").statusCode(201);
    String bobs = bob.createSession("Bob's");
    bob.append(bobs, "stays").statusCode(201);

    alice.request().delete("/api/v1/users/me").then().statusCode(204);

    alice.request().get("/api/v1/sessions").then().statusCode(200).body("items", hasSize(0));
    alice.request().get("/api/v1/sessions/{id}", parent).then().statusCode(404);
    for (String table : TABLES) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(rowsOf(table, alice.user())).as(table + " rows").isZero());
    }

    List<CloudEvent<EventData>> events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.SESSIONS,
                alice.user(),
                read -> read.stream().anyMatch(e -> e.data() instanceof UserErased),
                Duration.ofSeconds(30));
    CloudEvent<EventData> last = events.getLast();
    assertThat(last.type()).isEqualTo("user.erased");
    assertThat(last.userId()).isEqualTo(alice.user());
    UserErased erased = (UserErased) last.data();
    assertThat(erased.sessionsDeleted()).isEqualTo(2);
    assertThat(erased.messagesDeleted()).isEqualTo(3);

    bob.request()
        .get("/api/v1/sessions/{id}/messages", bobs)
        .then()
        .statusCode(200)
        .body("items.content", org.hamcrest.Matchers.contains("stays"));
  }

  @Test
  void erasingAUserWithoutDataStillPublishesUserErased() {
    Api nobody = Api.newUser();
    nobody.request().delete("/api/v1/users/me").then().statusCode(204);
    List<CloudEvent<EventData>> events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.SESSIONS, nobody.user(), read -> !read.isEmpty(), Duration.ofSeconds(30));
    assertThat(events).extracting(CloudEvent::type).containsExactly("user.erased");
  }

  private static long rowsOf(String table, String user) {
    return TestDatabase.queryLong(
        TestInfrastructure.DATABASE, "select count(*) from " + table + " where user_id = ?", user);
  }
}
