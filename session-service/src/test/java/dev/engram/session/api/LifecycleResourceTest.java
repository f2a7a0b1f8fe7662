package dev.engram.session.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.session.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class LifecycleResourceTest {

  /** Verbs that bring a fresh session into each state. */
  private static final Map<String, List<String>> PATH_TO =
      Map.of(
          "ACTIVE", List.of(),
          "PAUSED", List.of("pause"),
          "COMPLETED", List.of("complete"),
          "ARCHIVED", List.of("complete", "archive"));

  @ParameterizedTest(name = "{0} --{1}--> {2}")
  @CsvSource({
    "ACTIVE, pause, PAUSED",
    "PAUSED, resume, ACTIVE",
    "ACTIVE, complete, COMPLETED",
    "PAUSED, complete, COMPLETED",
    "COMPLETED, archive, ARCHIVED"
  })
  void legalTransitionsMoveTheSession(String from, String verb, String to) {
    Api alice = Api.newUser();
    String id = sessionIn(alice, from);
    alice.transition(id, verb).statusCode(200).body("status", equalTo(to));
    alice.request().get("/api/v1/sessions/{id}", id).then().body("status", equalTo(to));
  }

  @ParameterizedTest(name = "{0} --{1}--> 409")
  @CsvSource({
    "ACTIVE, resume",
    "ACTIVE, archive",
    "PAUSED, pause",
    "PAUSED, archive",
    "COMPLETED, pause",
    "COMPLETED, resume",
    "COMPLETED, complete",
    "ARCHIVED, pause",
    "ARCHIVED, resume",
    "ARCHIVED, complete",
    "ARCHIVED, archive"
  })
  void illegalTransitionsAnswerConflictNamingTheCurrentState(String from, String verb) {
    Api alice = Api.newUser();
    String id = sessionIn(alice, from);
    alice
        .transition(id, verb)
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/conflict"))
        .body("status", equalTo(409))
        .body("currentStatus", equalTo(from))
        .body("detail", containsString(from));
    alice.request().get("/api/v1/sessions/{id}", id).then().body("status", equalTo(from));
  }

  @ParameterizedTest(name = "append to {0} --> 409")
  @CsvSource({"PAUSED", "COMPLETED", "ARCHIVED"})
  void messagesAreAcceptedOnlyByActiveSessions(String state) {
    Api alice = Api.newUser();
    String id = sessionIn(alice, state);
    alice
        .append(id, "hello?")
        .statusCode(409)
        .body("currentStatus", equalTo(state))
        .body("detail", containsString(state));
    alice.request().get("/api/v1/sessions/{id}", id).then().body("messageCount", equalTo(0));
  }

  private static String sessionIn(Api user, String state) {
    String id = user.createSession("Lifecycle " + state);
    for (String verb : PATH_TO.get(state)) {
      user.transition(id, verb).statusCode(200);
    }
    return id;
  }
}
