package dev.engram.orchestrator.hooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.orchestrator.api.Broker;
import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The built-in reflective-dialogue hook switched off ({@code
 * engram.orchestrator.hooks.reflective-dialogue.enabled=false}): a message full of feelings and
 * doubt is stored without {@code reflection} metadata, the context gets no instruction, and the
 * answer no appended question.
 */
@QuarkusTest
@TestProfile(ReflectiveDialogueOffTest.Off.class)
class ReflectiveDialogueOffTest {

  /** The instance with the hook switched off. */
  public static class Off implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("engram.orchestrator.hooks.reflective-dialogue.enabled", "false");
    }
  }

  private static final String WORRIED = "I'm so worried about the exam, should I postpone it?";

  @Test
  void aSwitchedOffHookLeavesTheMessageTheContextAndTheAnswerAlone() {
    String user = Broker.freshUser("no-reflect");
    String token = TestTokens.forUser(user);
    JsonPath turn =
        given()
            .auth()
            .oauth2(token)
            .contentType("application/json")
            .body(Map.of("content", WORRIED))
            .post("/api/v1/turns")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    List<JsonObject> stored =
        Fixtures.sessions().messagesOf(UUID.fromString(turn.getString("sessionId")));
    assertThat(stored).extracting(m -> m.getString("role")).containsExactly("user", "assistant");
    JsonObject question = stored.get(0);
    assertThat(question.getString("content")).isEqualTo(WORRIED);
    assertThat(metadata(question).containsKey("reflection")).isFalse();
    JsonObject answer = stored.get(1);
    assertThat(metadata(answer).containsKey("reflective")).isFalse();
    assertThat(answer.getString("content"))
        .isEqualTo(turn.getString("content"))
        .doesNotContain("You said you are worried")
        .doesNotContain("What would help you feel more certain");

    JsonPath preview =
        given()
            .auth()
            .oauth2(token)
            .queryParam("q", WORRIED)
            .get("/api/v1/context/preview")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(preview.getList("instructions", String.class)).isEmpty();
    Broker.release().statusCode(200);
  }

  private static JsonObject metadata(JsonObject message) {
    JsonObject metadata = message.getJsonObject("metadata");
    return metadata == null ? new JsonObject() : metadata;
  }
}
