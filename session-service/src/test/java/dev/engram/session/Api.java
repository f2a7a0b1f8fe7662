package dev.engram.session;

import static io.restassured.RestAssured.given;

import dev.engram.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** A test's view of the API as one user: requests carry that user's token. */
public record Api(String user) {

  /** A fresh user, so that tests never see each other's data. */
  public static Api newUser() {
    return new Api("user-" + UUID.randomUUID());
  }

  public RequestSpecification request() {
    return given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON);
  }

  /** Creates a session with the given title and returns its id. */
  public String createSession(String title) {
    return createSession(Map.of("title", title));
  }

  /** Creates a session from a request body and returns its id. */
  public String createSession(Map<String, ?> body) {
    return request()
        .body(body)
        .post("/api/v1/sessions")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Appends a user message and returns the response. */
  public ValidatableResponse append(String sessionId, String content) {
    return request()
        .body(Map.of("role", "user", "content", content))
        .post("/api/v1/sessions/{id}/messages", sessionId)
        .then();
  }

  /** Takes a lifecycle transition (pause, resume, complete, archive). */
  public ValidatableResponse transition(String sessionId, String verb) {
    return request().post("/api/v1/sessions/{id}/" + verb, sessionId).then();
  }
}
