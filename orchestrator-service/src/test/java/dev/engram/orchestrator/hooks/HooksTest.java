package dev.engram.orchestrator.hooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.orchestrator.api.Broker;
import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.orchestrator.service.hooks.HookChain;
import dev.engram.orchestrator.service.hooks.ReflectiveDialogueHook;
import dev.engram.testing.TestTokens;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The hook extension point through real turns: hooks are discovered as beans and called in priority
 * order, amend the stored message, the context and the stored answer, and a failing hook is skipped
 * without failing the turn; the built-in reflective-dialogue hook runs last.
 */
@QuarkusTest
class HooksTest {

  @Inject HookChain chain;

  @Test
  void hooksAreDiscoveredAndCalledInPriorityOrder() {
    assertThat(chain.hooks())
        .extracting(hook -> (Object) ClientProxy.unwrap(hook).getClass())
        .containsSubsequence(
            MarkerHooks.Redacting.class, MarkerHooks.Failing.class, ReflectiveDialogueHook.class);
  }

  @Test
  void hooksAmendTheMessageTheContextAndTheAnswerAndABrokenOneIsSkipped() {
    String user = Broker.freshUser("hooks");
    String token = TestTokens.forUser(user);
    JsonPath turn =
        given()
            .auth()
            .oauth2(token)
            .contentType("application/json")
            .body(
                Map.of(
                    "content",
                    MarkerHooks.MARKER + " My locker code is 4711 and I'm so worried about it"))
            .post("/api/v1/turns")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    List<JsonObject> stored =
        Fixtures.sessions().messagesOf(UUID.fromString(turn.getString("sessionId")));
    JsonObject question = stored.get(0);
    assertThat(question.getString("content")).contains("[redacted]").doesNotContain("4711");
    assertThat(question.getJsonObject("metadata").getBoolean("redacted")).isTrue();
    // the built-in hook noticed the feeling in the amended message
    assertThat(question.getJsonObject("metadata").encode()).contains("feeling worried");

    String answer = turn.getString("content");
    assertThat(answer)
        .contains("(signed by the test hook)")
        .endsWith("You said you are worried. What do you think is behind that?");
    JsonObject stored2 = stored.get(1);
    assertThat(stored2.getString("content")).isEqualTo(answer);
    assertThat(stored2.getJsonObject("metadata").getBoolean("reflective")).isTrue();

    JsonPath preview =
        given()
            .auth()
            .oauth2(token)
            .queryParam("q", MarkerHooks.MARKER + " and now?")
            .get("/api/v1/context/preview")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(preview.getList("instructions", String.class))
        .contains("Answer in one short paragraph.");
    Broker.release().statusCode(200);
  }

  @Test
  void anUnmarkedTurnIsLeftAlone() {
    String user = Broker.freshUser("plain");
    String answer =
        given()
            .auth()
            .oauth2(TestTokens.forUser(user))
            .contentType("application/json")
            .body(Map.of("content", "My locker code is 4711"))
            .post("/api/v1/turns")
            .then()
            .statusCode(200)
            .extract()
            .path("content");
    assertThat(answer).doesNotContain("signed by the test hook");
    Broker.release().statusCode(200);
  }

  @Test
  void theReflectiveHooksInstructionReachesTheContext() {
    String user = Broker.freshUser("reflect");
    JsonPath preview =
        given()
            .auth()
            .oauth2(TestTokens.forUser(user))
            .queryParam("q", "I'm so worried about the exam, should I postpone it?")
            .get("/api/v1/context/preview")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(preview.getList("instructions", String.class))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("Reflective dialogue: the user expressed feeling worried and uncertainty.")
        .contains("end with one open question");
    Broker.release().statusCode(200);
  }
}
