package dev.engram.orchestrator.api;

import static io.restassured.RestAssured.given;

import dev.engram.testing.TestTokens;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Plays container-broker in tests: binds and releases the instance under test. */
public final class Broker {

  private Broker() {}

  /** A token in the broker's group. */
  public static String token() {
    return TestTokens.mint(
        "container-broker", List.of("engram-broker"), Duration.ofHours(1), Map.of());
  }

  public static ValidatableResponse bind(String userId) {
    return given()
        .auth()
        .oauth2(token())
        .contentType("application/json")
        .body(Map.of("userId", userId, "claimId", UUID.randomUUID().toString()))
        .post("/internal/v1/bind")
        .then();
  }

  public static ValidatableResponse status() {
    return given().auth().oauth2(token()).get("/internal/v1/status").then();
  }

  public static ValidatableResponse release() {
    return given().auth().oauth2(token()).post("/internal/v1/release").then();
  }

  /** Releases whoever is bound and binds a fresh user; returns the user id. */
  public static String freshUser(String prefix) {
    release().statusCode(200);
    String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    bind(user).statusCode(200);
    return user;
  }
}
