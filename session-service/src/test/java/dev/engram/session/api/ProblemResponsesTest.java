package dev.engram.session.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.session.Api;
import dev.engram.testing.RawHttp;
import dev.engram.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input of every kind answers a 4xx problem+json, never a 500 and never a partial write. */
@QuarkusTest
class ProblemResponsesTest {

  private static final String PROBLEMS = "https://engram.dev/problems/";

  @TestHTTPResource("/")
  URI base;

  @org.junit.jupiter.api.Test
  void aBodyDeclaredOverTheOneMebibyteLimitIsAProblemBeforeItIsSent() {
    Api alice = Api.newUser();
    RawHttp.Reply reply =
        RawHttp.declareBody(
            base, "/api/v1/sessions", TestTokens.forUser(alice.user()), 2L * 1024 * 1024);
    org.assertj.core.api.Assertions.assertThat(reply.status()).isEqualTo(413);
    org.assertj.core.api.Assertions.assertThat(reply.header("Content-Type"))
        .isEqualTo("application/problem+json");
    org.assertj.core.api.Assertions.assertThat(reply.body())
        .contains("\"type\":\"" + PROBLEMS + "payload-too-large\"")
        .contains("\"limit\":1048576");
    alice.request().get("/api/v1/sessions").then().body("items", org.hamcrest.Matchers.hasSize(0));
  }

  @Test
  void aChunkedBodyOverTheLimitIsAProblemAsSoonAsItPassesIt() {
    Api alice = Api.newUser();
    byte[] body = new byte[2 * 1024 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    RawHttp.Reply reply =
        RawHttp.sendChunked(
            base, "/api/v1/sessions", TestTokens.forUser(alice.user()), body, false);
    org.assertj.core.api.Assertions.assertThat(reply.status()).isEqualTo(413);
    org.assertj.core.api.Assertions.assertThat(reply.header("Content-Type"))
        .isEqualTo("application/problem+json");
    org.assertj.core.api.Assertions.assertThat(reply.body())
        .contains("\"type\":\"" + PROBLEMS + "payload-too-large\"")
        .contains("\"limit\":1048576")
        .contains("\"instance\":\"/api/v1/sessions\"");
    alice.request().get("/api/v1/sessions").then().body("items", org.hamcrest.Matchers.hasSize(0));
  }

  @Test
  void aChunkedBodyWithinTheLimitIsReadWholeWithOrWithoutExpectContinue() {
    Api alice = Api.newUser();
    for (boolean expectContinue : new boolean[] {false, true}) {
      String title = "chunked, expect 100-continue: " + expectContinue;
      byte[] body =
          ("{\"title\":\"" + title + "\",\"tags\":[\"raw\"]}")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      RawHttp.Reply reply =
          RawHttp.sendChunked(
              base, "/api/v1/sessions", TestTokens.forUser(alice.user()), body, expectContinue);
      org.assertj.core.api.Assertions.assertThat(reply.status())
          .as(reply.head() + reply.body())
          .isEqualTo(201);
      org.assertj.core.api.Assertions.assertThat(reply.body()).contains(title);
    }
    alice
        .request()
        .get("/api/v1/sessions")
        .then()
        .body("items.title", org.hamcrest.Matchers.hasSize(2));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"title\": ",
        "not json at all",
        "{\"title\": \"a\",}",
        "[1, 2]",
        "\"just a string\""
      })
  void malformedBodiesAreBadRequests(String body) {
    Api alice = Api.newUser();
    alice
        .request()
        .body(body)
        .post("/api/v1/sessions")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400))
        .body("title", notNullValue())
        .body("detail", notNullValue())
        .body("instance", equalTo("/api/v1/sessions"));
    alice.request().get("/api/v1/sessions").then().body("items.size()", equalTo(0));
  }

  @Test
  void wrongTypesNameTheField() {
    Api alice = Api.newUser();
    expectFieldError(alice, "/api/v1/sessions", Map.of("title", 42), "title");
    expectFieldError(alice, "/api/v1/sessions", Map.of("title", "t", "tags", "solo"), "tags");
    expectFieldError(
        alice, "/api/v1/sessions", Map.of("title", "t", "metadata", List.of()), "metadata");
    expectFieldError(
        alice,
        "/api/v1/sessions",
        Map.of("title", "t", "parentSessionId", "nope"),
        "parentSessionId");
    String id = alice.createSession("ok");
    expectFieldError(
        alice,
        "/api/v1/sessions/" + id + "/messages",
        Map.of("role", "robot", "content", "beep"),
        "role");
    expectFieldError(
        alice, "/api/v1/sessions/" + id + "/messages", Map.of("role", 1, "content", "x"), "role");
    expectFieldError(
        alice,
        "/api/v1/sessions/" + id + "/messages",
        Map.of("role", "user", "content", List.of("x")),
        "content");
  }

  @Test
  void missingAndEmptyFieldsAreValidationErrors() {
    Api alice = Api.newUser();
    expectFieldError(alice, "/api/v1/sessions", Map.of(), "title");
    expectFieldError(alice, "/api/v1/sessions", Map.of("title", "   "), "title");
    expectFieldError(alice, "/api/v1/sessions", Map.of("title", "x".repeat(501)), "title");
    expectFieldError(
        alice, "/api/v1/sessions", Map.of("title", "t", "tags", List.of("ok", "")), "tags[1]");
    String id = alice.createSession("ok");
    String messages = "/api/v1/sessions/" + id + "/messages";
    expectFieldError(alice, messages, Map.of("role", "user", "content", ""), "content");
    expectFieldError(alice, messages, Map.of("role", "user"), "content");
    expectFieldError(alice, messages, Map.of("content", "who?"), "role");
    alice
        .request()
        .body(Map.of("title", " "))
        .patch("/api/v1/sessions/{id}", id)
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("title"));
    alice.request().get("/api/v1/sessions/{id}", id).then().body("messageCount", equalTo(0));
  }

  @Test
  void emptyBodyIsABadRequest() {
    Api alice = Api.newUser();
    alice
        .request()
        .post("/api/v1/sessions")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void badQueryParametersAreBadRequests() {
    Api alice = Api.newUser();
    String id = alice.createSession("ok");
    for (Map.Entry<String, Object> param :
        List.<Map.Entry<String, Object>>of(
            Map.entry("limit", "ten"),
            Map.entry("limit", 0),
            Map.entry("limit", 10_000),
            Map.entry("status", "SLEEPING"),
            Map.entry("cursor", "garbage!"))) {
      alice
          .request()
          .queryParam(param.getKey(), param.getValue())
          .get("/api/v1/sessions")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("type", equalTo(PROBLEMS + "validation"))
          .body("errors[0].field", equalTo(param.getKey()));
    }
    alice
        .request()
        .queryParam("after", -1)
        .get("/api/v1/sessions/{id}/messages", id)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("after"));
    alice
        .request()
        .queryParam("limit", "x")
        .get("/api/v1/sessions/{id}/context", id)
        .then()
        .statusCode(400);
  }

  @Test
  void requestsWithoutAValidTokenAreUnauthorized() {
    for (String token :
        List.of(
            "",
            "not-a-jwt",
            TestTokens.expired("alice", Duration.ofMinutes(5)),
            TestTokens.forUser("alice") + "x")) {
      var request = given().contentType(ContentType.JSON);
      if (!token.isEmpty()) {
        request.auth().oauth2(token);
      }
      request
          .get("/api/v1/sessions")
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .header("WWW-Authenticate", "Bearer")
          .body("type", equalTo(PROBLEMS + "unauthorized"));
    }
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("title", "anonymous"))
        .post("/api/v1/sessions")
        .then()
        .statusCode(401);
    given().delete("/api/v1/users/me").then().statusCode(401);
  }

  @Test
  void unsupportedMediaTypeAndMethodAreProblems() {
    Api alice = Api.newUser();
    alice
        .request()
        .contentType(ContentType.TEXT)
        .body("title")
        .post("/api/v1/sessions")
        .then()
        .statusCode(415)
        .contentType("application/problem+json");
    alice
        .request()
        .delete("/api/v1/sessions")
        .then()
        .statusCode(405)
        .contentType("application/problem+json");
  }

  private static void expectFieldError(Api user, String path, Object body, String field) {
    user.request()
        .body(body)
        .post(path)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo(PROBLEMS + "validation"))
        .body("errors.field", hasItem(field));
  }
}
