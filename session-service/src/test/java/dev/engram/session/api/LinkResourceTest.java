package dev.engram.session.api;

import static org.hamcrest.Matchers.equalTo;

import dev.engram.session.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LinkResourceTest {

  @Test
  void linksASessionToTheOneItContinues() {
    Api alice = Api.newUser();
    String first = alice.createSession("Monday");
    String second = alice.createSession("Tuesday");
    link(alice, second, first).statusCode(200).body("parentSessionId", equalTo(first));
    alice
        .request()
        .get("/api/v1/sessions/{id}", second)
        .then()
        .body("parentSessionId", equalTo(first));
  }

  @Test
  void refusesCycles() {
    Api alice = Api.newUser();
    String a = alice.createSession("A");
    String b = alice.createSession("B");
    String c = alice.createSession("C");
    link(alice, b, a).statusCode(200);
    link(alice, c, b).statusCode(200);

    link(alice, a, c)
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/conflict"));
    link(alice, a, a).statusCode(409);
    alice.request().get("/api/v1/sessions/{id}", a).then().body("parentSessionId", equalTo(null));
  }

  @Test
  void relinkingToAnotherParentIsAllowedWhenNoCycleForms() {
    Api alice = Api.newUser();
    String a = alice.createSession("A");
    String b = alice.createSession("B");
    String c = alice.createSession("C");
    link(alice, c, a).statusCode(200);
    link(alice, c, b).statusCode(200).body("parentSessionId", equalTo(b));
    link(alice, a, c).statusCode(200);
  }

  @Test
  void unknownParentOrSessionIsRefused() {
    Api alice = Api.newUser();
    String a = alice.createSession("A");
    link(alice, a, UUID.randomUUID().toString())
        .statusCode(400)
        .body("errors[0].field", equalTo("parentSessionId"));
    link(alice, UUID.randomUUID().toString(), a).statusCode(404);
    alice
        .request()
        .body(Map.of())
        .post("/api/v1/sessions/{id}/link", a)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("parentSessionId"));
  }

  private static io.restassured.response.ValidatableResponse link(
      Api user, String session, String parent) {
    return user.request()
        .body(Map.of("parentSessionId", parent))
        .post("/api/v1/sessions/{id}/link", session)
        .then();
  }
}
