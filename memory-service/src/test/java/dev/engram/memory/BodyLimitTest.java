package dev.engram.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.testing.RawHttp;
import dev.engram.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** A body over the configured limit (8 MiB) is a problem, answered before the body is sent. */
@QuarkusTest
class BodyLimitTest {

  @TestHTTPResource("/")
  URI base;

  @Test
  void aBodyDeclaredOverTheLimitIsA413ProblemBeforeItIsSent() throws Exception {
    String user = Api.newUser("big");
    RawHttp.Reply reply =
        RawHttp.declareBody(
            base, "/api/v1/memories:batch", TestTokens.forUser(user), 9L * 1024 * 1024);

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
    JsonNode problem = new ObjectMapper().readTree(reply.body());
    assertThat(problem.path("type").asText())
        .isEqualTo("https://engram.dev/problems/payload-too-large");
    assertThat(problem.path("status").asInt()).isEqualTo(413);
    assertThat(problem.path("limit").asLong()).isEqualTo(8L * 1024 * 1024);
    assertThat(problem.path("instance").asText()).isEqualTo("/api/v1/memories:batch");
    // nothing of it was stored
    Api.as(user).get("/api/v1/memories").then().statusCode(200).body("items", hasSize(0));
  }
}
