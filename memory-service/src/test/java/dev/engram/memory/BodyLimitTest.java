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

/**
 * A body over the configured limit (8 MiB) is a problem: a declared one before it is sent, a
 * chunked one as soon as it passes the limit; a chunked one within it is read whole.
 */
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

  @Test
  void aChunkedBodyOverTheLimitIsA413ProblemAsSoonAsItPassesIt() throws Exception {
    String user = Api.newUser("chunky");
    byte[] body = new byte[9 * 1024 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    RawHttp.Reply reply =
        RawHttp.sendChunked(base, "/api/v1/memories:batch", TestTokens.forUser(user), body, false);

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
    JsonNode problem = new ObjectMapper().readTree(reply.body());
    assertThat(problem.path("type").asText())
        .isEqualTo("https://engram.dev/problems/payload-too-large");
    assertThat(problem.path("limit").asLong()).isEqualTo(8L * 1024 * 1024);
    assertThat(problem.path("instance").asText()).isEqualTo("/api/v1/memories:batch");
    Api.as(user).get("/api/v1/memories").then().statusCode(200).body("items", hasSize(0));
  }

  @Test
  void aChunkedBodyWithinTheLimitIsReadWholeWithOrWithoutExpectContinue() throws Exception {
    String user = Api.newUser("chunked");
    // longer than the REST layer's in-memory buffer (10 KiB): more than one chunk, read whole
    String content = "I keep a garden of rare tomatoes. ".repeat(450).strip();
    for (boolean expectContinue : new boolean[] {false, true}) {
      byte[] body =
          new ObjectMapper()
              .writeValueAsBytes(java.util.Map.of("content", expectContinue + " " + content));
      RawHttp.Reply reply =
          RawHttp.sendChunked(
              base, "/api/v1/memories", TestTokens.forUser(user), body, expectContinue);
      assertThat(reply.status()).as(reply.head() + reply.body()).isEqualTo(201);
      assertThat(new ObjectMapper().readTree(reply.body()).path("content").asText())
          .isEqualTo(expectContinue + " " + content);
    }
    Api.as(user).get("/api/v1/memories").then().statusCode(200).body("items", hasSize(2));
  }
}
