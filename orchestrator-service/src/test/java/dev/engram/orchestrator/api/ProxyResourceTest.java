package dev.engram.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The web UI reaches session-service and memory-service through its pod, as the user. */
@QuarkusTest
class ProxyResourceTest {

  @Test
  void sessionsAndMemoriesPassThroughWithTheUsersToken() {
    String user = Broker.freshUser("proxy");
    String token = TestTokens.forUser(user);
    String id =
        given()
            .auth()
            .oauth2(token)
            .contentType("application/json")
            .body(
                Map.of(
                    "title", "Through the pod", "tags", java.util.List.of(), "metadata", Map.of()))
            .post("/api/v1/sessions")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/sessions?limit=10")
        .then()
        .statusCode(200)
        .body("items.title", hasItem("Through the pod"));
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body("{}")
        .post("/api/v1/sessions/" + id + "/pause")
        .then()
        .statusCode(200)
        .body("status", equalTo("PAUSED"));
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body("{}")
        .post("/api/v1/sessions/" + id + "/archive")
        .then()
        .statusCode(409)
        .body("type", endsWith("/conflict"));

    Fixtures.memories().addMemory(user, "seen through the proxy", Instant.now());
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/memories")
        .then()
        .statusCode(200)
        .body("items.content", hasItem("seen through the proxy"));
    given().auth().oauth2(token).get("/api/v1/clusters").then().statusCode(200);

    given()
        .auth()
        .oauth2(TestTokens.forUser("someone-else"))
        .get("/api/v1/sessions")
        .then()
        .statusCode(403);
  }

  @Test
  void theStrengthHistoryAndAMemorysCurvePassThroughWithTheirQuery() {
    String user = Broker.freshUser("proxy-strength");
    String token = TestTokens.forUser(user);
    Instant now = Instant.now();
    Fixtures.memories()
        .addStrengthSample(user, now.minus(Duration.ofDays(2)), "EPISODIC", "ACTIVE", 3, 0.6);
    Fixtures.memories()
        .addStrengthSample(user, now.minus(Duration.ofDays(40)), "EPISODIC", "ACTIVE", 1, 0.9);
    // another user's samples stay theirs
    Fixtures.memories()
        .addStrengthSample(
            "someone-else", now.minus(Duration.ofDays(1)), "EPISODIC", "ACTIVE", 5, 0.2);

    // the last 30 days by default
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/analytics/strength")
        .then()
        .statusCode(200)
        .body("points", hasSize(1))
        .body("points[0].meanStrength", equalTo(0.6f))
        .body("forgetThreshold", equalTo(0.1f));
    // the range reaches memory-service as the page asked
    given()
        .auth()
        .oauth2(token)
        .queryParam("from", now.minus(Duration.ofDays(41)).toString())
        .get("/api/v1/analytics/strength")
        .then()
        .statusCode(200)
        .body("points.count", contains(1, 3));
    given()
        .auth()
        .oauth2(token)
        .queryParam("from", now.toString())
        .queryParam("to", now.minus(Duration.ofDays(1)).toString())
        .get("/api/v1/analytics/strength")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", endsWith("/validation"));

    java.util.UUID id =
        Fixtures.memories()
            .addMemory(user, "a curve through the proxy", 0.8, now.minus(Duration.ofDays(1)), 10);
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/memories/" + id)
        .then()
        .statusCode(200)
        .body("reinforcedStrength", equalTo(0.8f))
        .body("stabilityDays", equalTo(10f));
    given()
        .auth()
        .oauth2(TestTokens.forUser("someone-else"))
        .get("/api/v1/analytics/strength")
        .then()
        .statusCode(403);
  }

  @Test
  void anAppendThroughThePodKeepsItsIdempotencyKey() {
    String user = Broker.freshUser("proxykey");
    String token = TestTokens.forUser(user);
    String id =
        given()
            .auth()
            .oauth2(token)
            .contentType("application/json")
            .body(Map.of("title", "Keys", "tags", java.util.List.of(), "metadata", Map.of()))
            .post("/api/v1/sessions")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    for (int status : new int[] {201, 200}) {
      given()
          .auth()
          .oauth2(token)
          .contentType("application/json")
          .header("Idempotency-Key", "through-the-pod")
          .body(Map.of("role", "user", "content", "once"))
          .post("/api/v1/sessions/" + id + "/messages")
          .then()
          .statusCode(status)
          .body("idempotencyKey", equalTo("through-the-pod"));
    }
    org.assertj.core.api.Assertions.assertThat(
            Fixtures.sessions().messagesOf(java.util.UUID.fromString(id)))
        .hasSize(1);
  }
}
