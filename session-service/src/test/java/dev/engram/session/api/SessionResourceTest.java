package dev.engram.session.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.engram.session.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SessionResourceTest {

  @Test
  void createsASessionAndReadsItBack() {
    Api alice = Api.newUser();
    var response =
        alice
            .request()
            .body(
                Map.of(
                    "title",
                    "Trip planning",
                    "tags",
                    List.of("travel", "2026"),
                    "metadata",
                    Map.of("source", "web", "priority", 2)))
            .post("/api/v1/sessions")
            .then()
            .statusCode(201)
            .extract();
    JsonPath created = response.jsonPath();
    String id = created.getString("id");
    assertThat(response.header("Location")).endsWith("/api/v1/sessions/" + id);
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(created.getString("userId")).isEqualTo(alice.user());
    assertThat(created.getString("status")).isEqualTo("ACTIVE");
    assertThat(created.getString("createdAt")).isEqualTo(created.getString("updatedAt"));

    alice
        .request()
        .get("/api/v1/sessions/{id}", id)
        .then()
        .statusCode(200)
        .body("id", equalTo(id))
        .body("title", equalTo("Trip planning"))
        .body("tags", contains("travel", "2026"))
        .body("metadata.source", equalTo("web"))
        .body("metadata.priority", equalTo(2))
        .body("parentSessionId", nullValue())
        .body("messageCount", equalTo(0))
        .body("createdAt", equalTo(created.getString("createdAt")));
  }

  @Test
  void createsAContinuationOfAnOwnSession() {
    Api alice = Api.newUser();
    String parent = alice.createSession("Part one");
    alice
        .request()
        .body(Map.of("title", "Part two", "parentSessionId", parent))
        .post("/api/v1/sessions")
        .then()
        .statusCode(201)
        .body("parentSessionId", equalTo(parent));
  }

  @Test
  void patchReplacesOnlyTheFieldsGiven() {
    Api alice = Api.newUser();
    String id =
        alice.createSession(
            Map.of("title", "Draft", "tags", List.of("a"), "metadata", Map.of("k", "v")));

    alice
        .request()
        .body(Map.of("tags", List.of("b", "c", "b")))
        .patch("/api/v1/sessions/{id}", id)
        .then()
        .statusCode(200)
        .body("title", equalTo("Draft"))
        .body("tags", contains("b", "c"))
        .body("metadata.k", equalTo("v"));

    alice
        .request()
        .body(Map.of("title", "Final", "metadata", Map.of("k2", true)))
        .patch("/api/v1/sessions/{id}", id)
        .then()
        .statusCode(200)
        .body("title", equalTo("Final"))
        .body("tags", contains("b", "c"))
        .body("metadata.k", nullValue())
        .body("metadata.k2", equalTo(true));

    alice.request().get("/api/v1/sessions/{id}", id).then().body("title", equalTo("Final"));
  }

  @Test
  void listsNewestFirstAndPagesWithACursor() {
    Api alice = Api.newUser();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(alice.createSession("Session " + i));
    }

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var request = alice.request().queryParam("limit", 2);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath page = request.get("/api/v1/sessions").then().statusCode(200).extract().jsonPath();
      seen.addAll(page.getList("items.id", String.class));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(created.reversed());
  }

  @Test
  void filtersByStatusAndTag() {
    Api alice = Api.newUser();
    String work = alice.createSession(Map.of("title", "Work", "tags", List.of("work")));
    String home = alice.createSession(Map.of("title", "Home", "tags", List.of("home")));
    String both = alice.createSession(Map.of("title", "Both", "tags", List.of("home", "work")));
    alice.transition(home, "pause").statusCode(200);

    alice
        .request()
        .queryParam("tag", "work")
        .get("/api/v1/sessions")
        .then()
        .statusCode(200)
        .body("items.id", containsInAnyOrder(work, both))
        .body("nextCursor", nullValue());
    alice
        .request()
        .queryParam("status", "paused")
        .get("/api/v1/sessions")
        .then()
        .body("items.id", contains(home));
    alice
        .request()
        .queryParam("status", "ACTIVE")
        .queryParam("tag", "home")
        .get("/api/v1/sessions")
        .then()
        .body("items.id", contains(both));
  }

  @Test
  void anotherUsersSessionDoesNotExistForMe() {
    Api alice = Api.newUser();
    Api mallory = Api.newUser();
    String id = alice.createSession("Private");
    alice.append(id, "secret").statusCode(201);

    mallory.request().get("/api/v1/sessions/{id}", id).then().statusCode(404);
    mallory
        .request()
        .body(Map.of("title", "mine now"))
        .patch("/api/v1/sessions/{id}", id)
        .then()
        .statusCode(404);
    for (String verb : List.of("pause", "resume", "complete", "archive")) {
      mallory.transition(id, verb).statusCode(404);
    }
    mallory.append(id, "hello").statusCode(404);
    mallory.request().get("/api/v1/sessions/{id}/messages", id).then().statusCode(404);
    mallory.request().get("/api/v1/sessions/{id}/context", id).then().statusCode(404);
    String own = mallory.createSession("Mallory's");
    mallory
        .request()
        .body(Map.of("parentSessionId", id))
        .post("/api/v1/sessions/{id}/link", own)
        .then()
        .statusCode(400);
    mallory
        .request()
        .body(Map.of("title", "child", "parentSessionId", id))
        .post("/api/v1/sessions")
        .then()
        .statusCode(400);
    mallory.request().get("/api/v1/sessions").then().body("items.id", contains(own));

    alice
        .request()
        .get("/api/v1/sessions/{id}", id)
        .then()
        .statusCode(200)
        .body("title", equalTo("Private"))
        .body("status", equalTo("ACTIVE"))
        .body("messageCount", equalTo(1));
  }

  @Test
  void unknownAndMalformedIdsAreNotFound() {
    Api alice = Api.newUser();
    alice
        .request()
        .get("/api/v1/sessions/{id}", UUID.randomUUID())
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/not-found"))
        .body("detail", notNullValue());
    alice.request().get("/api/v1/sessions/not-a-uuid").then().statusCode(404);
  }

  @Test
  void listingAnswersAnEmptyPageForANewUser() {
    Api.newUser()
        .request()
        .get("/api/v1/sessions")
        .then()
        .statusCode(200)
        .body("items", hasSize(0))
        .body("nextCursor", nullValue());
  }
}
