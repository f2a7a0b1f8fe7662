package dev.engram.session.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MessageResourceTest {

  @Test
  void appendsMessagesWithConsecutiveSequenceNumbers() {
    Api alice = Api.newUser();
    String id = alice.createSession("Chat");
    JsonPath first =
        alice
            .request()
            .body(Map.of("role", "user", "content", "Hello", "metadata", Map.of("client", "cli")))
            .post("/api/v1/sessions/{id}/messages", id)
            .then()
            .statusCode(201)
            .body("id", notNullValue())
            .body("sessionId", equalTo(id))
            .body("sequence", equalTo(1))
            .body("role", equalTo("user"))
            .body("content", equalTo("Hello"))
            .body("metadata.client", equalTo("cli"))
            .body("createdAt", notNullValue())
            .extract()
            .jsonPath();
    alice
        .request()
        .body(Map.of("role", "assistant", "content", "Hi! How can I help?"))
        .post("/api/v1/sessions/{id}/messages", id)
        .then()
        .statusCode(201)
        .body("sequence", equalTo(2))
        .body("role", equalTo("assistant"));

    alice
        .request()
        .get("/api/v1/sessions/{id}/messages", id)
        .then()
        .statusCode(200)
        .body("items.sequence", contains(1, 2))
        .body("items[0].id", equalTo(first.getString("id")))
        .body("items[0].createdAt", equalTo(first.getString("createdAt")))
        .body("items.content", contains("Hello", "Hi! How can I help?"))
        .body("nextCursor", nullValue());
    alice.request().get("/api/v1/sessions/{id}", id).then().body("messageCount", equalTo(2));
  }

  @Test
  void sequencesStayGaplessUnderConcurrentAppends() {
    Api alice = Api.newUser();
    String id = alice.createSession("Busy");
    IntStream.range(0, 20).parallel().forEach(i -> alice.append(id, "m" + i).statusCode(201));
    List<Integer> sequences =
        alice
            .request()
            .queryParam("limit", 100)
            .get("/api/v1/sessions/{id}/messages", id)
            .then()
            .extract()
            .jsonPath()
            .getList("items.sequence", Integer.class);
    assertThat(sequences).containsExactlyElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
  }

  @Test
  void pagesMessagesByCursorAndAfter() {
    Api alice = Api.newUser();
    String id = alice.createSession("Long");
    for (int i = 1; i <= 7; i++) {
      alice.append(id, "message " + i).statusCode(201);
    }

    List<Integer> seen = new ArrayList<>();
    String cursor = null;
    do {
      var request = alice.request().queryParam("limit", 3);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath page =
          request
              .get("/api/v1/sessions/{id}/messages", id)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      seen.addAll(page.getList("items.sequence", Integer.class));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(seen).containsExactly(1, 2, 3, 4, 5, 6, 7);

    alice
        .request()
        .queryParam("after", 5)
        .get("/api/v1/sessions/{id}/messages", id)
        .then()
        .body("items.sequence", contains(6, 7));
    alice
        .request()
        .queryParam("after", 7)
        .get("/api/v1/sessions/{id}/messages", id)
        .then()
        .body("items", hasSize(0));
  }

  @Test
  void contextIsTheLastMessagesInOrder() {
    Api alice = Api.newUser();
    String id = alice.createSession("Context");
    for (int i = 1; i <= 5; i++) {
      alice.append(id, "turn " + i).statusCode(201);
    }
    alice
        .request()
        .queryParam("limit", 3)
        .get("/api/v1/sessions/{id}/context", id)
        .then()
        .statusCode(200)
        .body("sessionId", equalTo(id))
        .body("status", equalTo("ACTIVE"))
        .body("messages.sequence", contains(3, 4, 5))
        .body("messages.content", contains("turn 3", "turn 4", "turn 5"));
    alice
        .request()
        .get("/api/v1/sessions/{id}/context", id)
        .then()
        .body("messages.sequence", contains(1, 2, 3, 4, 5));
  }

  @Test
  void contentOverTheBoundIsTooLarge() {
    Api alice = Api.newUser();
    String id = alice.createSession("Big");
    alice.append(id, "x".repeat(32 * 1024)).statusCode(201);
    alice
        .append(id, "x".repeat(32 * 1024 + 1))
        .statusCode(413)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/payload-too-large"))
        .body("limit", equalTo(32 * 1024));
    // the bound is in UTF-8 bytes: 11,000 three-byte characters are 33,000 bytes
    alice.append(id, "€".repeat(11_000)).statusCode(413);
    // a body over the HTTP limit (1 MiB) is refused before it is read, as a problem too
    alice
        .append(id, "x".repeat(2 * 1024 * 1024))
        .statusCode(413)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/payload-too-large"));
    alice.request().get("/api/v1/sessions/{id}", id).then().body("messageCount", equalTo(1));
  }

  @Test
  void metadataOverTheBoundIsTooLargeAndWritesNothing() {
    Api alice = Api.newUser();
    String big = "x".repeat(16 * 1024);
    alice
        .request()
        .body(Map.of("title", "Meta", "tags", List.of(), "metadata", Map.of("note", big)))
        .post("/api/v1/sessions")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/payload-too-large"))
        .body("limit", equalTo(16 * 1024));
    alice.request().get("/api/v1/sessions").then().body("items", hasSize(0));

    String id = alice.createSession("Meta");
    alice
        .request()
        .body(Map.of("role", "user", "content", "hello", "metadata", Map.of("note", big)))
        .post("/api/v1/sessions/{id}/messages", id)
        .then()
        .statusCode(413)
        .contentType("application/problem+json");
    alice
        .request()
        .body(Map.of("metadata", Map.of("note", big)))
        .patch("/api/v1/sessions/{id}", id)
        .then()
        .statusCode(413);
    alice.request().get("/api/v1/sessions/{id}", id).then().body("messageCount", equalTo(0));
  }
}
