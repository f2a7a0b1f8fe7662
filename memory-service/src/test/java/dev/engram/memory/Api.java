package dev.engram.memory;

import static io.restassured.RestAssured.given;

import dev.engram.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Calls to the service as a given user. */
public final class Api {

  private Api() {}

  public static String newUser(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static RequestSpecification as(String user) {
    return given()
        .log()
        .ifValidationFails()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .contentType(ContentType.JSON);
  }

  public static String create(String user, String content) {
    return create(user, Map.of("content", content));
  }

  public static String create(String user, Map<String, ?> body) {
    return as(user).body(body).post("/api/v1/memories").then().statusCode(201).extract().path("id");
  }

  public static ValidatableResponse search(String user, Map<String, ?> body) {
    return as(user).body(body).post("/api/v1/memories/search").then().log().ifValidationFails();
  }
}
