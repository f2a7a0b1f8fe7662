package dev.engram.broker.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.broker.testing.FakeServices;
import dev.engram.broker.testing.LocalProcessProfile;
import dev.engram.broker.testing.MutableClock;
import dev.engram.broker.testing.WsClient;
import dev.engram.events.CloudEvent;
import dev.engram.events.PodCulled;
import dev.engram.events.PodReleased;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.events.UserErased;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local-process runtime for real: the broker starts orchestrator-service jars as child
 * processes, a user is claimed an instance on first use of the gateway's WebSocket, chats with the
 * offline responder through it, and the idle instance is released (its state snapshotted) and
 * culled; the next connect gets another instance with the state restored.
 */
@QuarkusTest
@TestProfile(LocalProcessProfile.class)
class LocalProcessRuntimeTest {

  /** Generous: JVMs start slowly on a busy machine. */
  private static final Duration WAIT = Duration.ofSeconds(150);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Inject PodRuntime runtime;

  @TestHTTPResource("/")
  URI base;

  @BeforeAll
  static void jarBuilt() {
    assertThat(Path.of(LocalProcessProfile.orchestratorJar()))
        .as("the reactor builds orchestrator-service before this module")
        .satisfies(p -> assertThat(Files.isRegularFile(p)).isTrue());
    FakeServices.start(LocalProcessProfile.fakeServicesPort());
  }

  @Test
  void claimChatThroughTheGatewayAndCullRealOrchestratorProcesses() throws Exception {
    assertThat(runtime.name()).isEqualTo("local-process");
    await().atMost(WAIT).until(() -> runtime.instances().stream().anyMatch(Instance::isWarm));
    // a warm instance was primed with a bind and release of a user with no state: nothing stays
    assertThat(RedisServer.shared().command("EXISTS engram:orchestrator:state:.engram-prime"))
        .isEqualTo(":0");

    String user = "local-" + UUID.randomUUID().toString().substring(0, 8);
    String token = TestTokens.forUser(user);
    String firstInstance;
    try (WsClient ws = WsClient.browser(wsUri("/ws/chat"), token)) {
      assertThat(ws.subprotocol()).isEqualTo("bearer-token-carrier");
      JsonNode hello = frame(ws, "hello");
      assertThat(hello.path("userId").asText()).isEqualTo(user);
      firstInstance = hello.path("instance").asText();

      ws.send("{\"type\":\"user_message\",\"content\":\"remember that I like tea\"}");
      JsonNode done = frame(ws, "done");
      assertThat(done.path("content").asText()).isNotBlank();
    }
    Instance bound = boundTo(user).orElseThrow();
    assertThat(bound.name()).isEqualTo(firstInstance);
    String endpoint = bound.endpoint();
    assertThat(answers(endpoint)).isTrue();

    Response stm = given().auth().oauth2(token).get("/api/v1/stm");
    stm.then().statusCode(200);
    long turn = stm.jsonPath().getLong("turn");
    String sessionId = stm.jsonPath().getString("sessionId");
    assertThat(turn).isPositive();

    // Idleness is judged by the activity the instance reports, as first seen by a check: wait for
    // a check after the chat, then move the broker's clock past the idle timeout.
    Instant chatted = MutableClock.get().instant();
    await()
        .atMost(WAIT)
        .until(
            () ->
                boundTo(user)
                    .map(i -> i.heartbeatAt() != null && i.heartbeatAt().isAfter(chatted))
                    .orElse(false));
    MutableClock.get().advance(Duration.ofMinutes(11));

    await()
        .atMost(WAIT)
        .until(() -> runtime.instances().stream().noneMatch(i -> i.name().equals(firstInstance)));
    await().atMost(WAIT).until(() -> !answers(endpoint));
    assertThat(
            EmbeddedKafka.shared()
                .eventsForUser(
                    Topics.PODS,
                    user,
                    e -> e.stream().anyMatch(x -> x.data() instanceof PodCulled),
                    WAIT))
        .anySatisfy(
            e ->
                assertThat(e.data())
                    .isInstanceOfSatisfying(
                        PodCulled.class, c -> assertThat(c.reason().name()).isEqualTo("IDLE")));

    await().atMost(WAIT).until(() -> runtime.instances().stream().anyMatch(Instance::isWarm));
    try (WsClient ws = WsClient.browser(wsUri("/ws/chat"), token)) {
      JsonNode hello = frame(ws, "hello");
      assertThat(hello.path("instance").asText()).isNotEqualTo(firstInstance);
      assertThat(hello.path("userId").asText()).isEqualTo(user);
    }
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/stm")
        .then()
        .statusCode(200)
        .body("turn", equalTo((int) turn))
        .body("sessionId", equalTo(sessionId));

    given().auth().oauth2(token).delete("/api/v1/connect").then().statusCode(204);
    await().atMost(WAIT).until(() -> boundTo(user).isEmpty());
  }

  @Test
  void anErasedUserLeavesNothingOfTheirsInThePool() {
    await().atMost(WAIT).until(() -> runtime.instances().stream().anyMatch(Instance::isWarm));
    String user = "erased-" + UUID.randomUUID().toString().substring(0, 8);
    String token = TestTokens.forUser(user);
    String snapshot = "EXISTS engram:orchestrator:state:" + user;
    String assignment = "EXISTS engram:broker:assignment:" + user;
    turn(token, "my locker code is 4711");
    given().auth().oauth2(token).delete("/api/v1/connect").then().statusCode(204);
    assertThat(RedisServer.shared().command(snapshot)).isEqualTo(":1");

    // erased while bound nowhere: no instance reads the event, the broker deletes the snapshot
    erase(user);
    await().atMost(WAIT).until(() -> RedisServer.shared().command(snapshot).equals(":0"));

    // back (nothing restored), then erased while bound: the instance forgets them
    given().auth().oauth2(token).get("/api/v1/stm").then().statusCode(200).body("turn", equalTo(0));
    turn(token, "my bike is the blue one");
    String instance = boundTo(user).orElseThrow().name();
    erase(user);
    await().atMost(WAIT).until(() -> boundTo(user).isEmpty());
    await().atMost(WAIT).until(() -> RedisServer.shared().command(assignment).equals(":0"));
    assertThat(RedisServer.shared().command(snapshot)).isEqualTo(":0");
    assertThat(runtime.find(instance).map(Instance::userId))
        .as("whom %s serves", instance)
        .isEmpty();
    assertThat(
            EmbeddedKafka.shared()
                .eventsForUser(
                    Topics.PODS,
                    user,
                    e ->
                        e.stream()
                            .anyMatch(
                                x ->
                                    x.data() instanceof PodReleased r
                                        && r.reason().equals("erased")),
                    WAIT))
        .isNotEmpty();

    // and comes back once more with nothing: leaving stores nothing of them
    given().auth().oauth2(token).get("/api/v1/stm").then().statusCode(200).body("turn", equalTo(0));
    given().auth().oauth2(token).delete("/api/v1/connect").then().statusCode(204);
    assertThat(RedisServer.shared().command(snapshot)).isEqualTo(":0");
  }

  private static void turn(String token, String content) {
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("content", content))
        .post("/api/v1/turns")
        .then()
        .statusCode(200);
  }

  private static void erase(String user) {
    EmbeddedKafka.shared()
        .publish(CloudEvent.of(Sources.SESSION_SERVICE, user, new UserErased(Instant.now(), 1, 2)));
  }

  @Test
  void developmentTokensAreOffUnlessConfigured() {
    given()
        .contentType("application/json")
        .body(Map.of("userId", "someone"))
        .post("/api/v1/dev/token")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  /** Whether a process still listens at {@code endpoint}. */
  private static boolean answers(String endpoint) {
    try {
      HTTP.send(
          HttpRequest.newBuilder(URI.create(endpoint + "/q/health/live"))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Optional<Instance> boundTo(String user) {
    return runtime.instances().stream()
        .filter(i -> i.phase() == InstancePhase.BOUND && user.equals(i.userId()))
        .findFirst();
  }

  /** The next frame of {@code type}, skipping others (message, token, memory updates...). */
  private static JsonNode frame(WsClient ws, String type) throws Exception {
    while (true) {
      JsonNode frame = JSON.readTree(ws.next());
      if (frame.path("type").asText().equals(type)) {
        return frame;
      }
      assertThat(frame.path("type").asText()).as("frame %s", frame).isNotEqualTo("error");
    }
  }

  private URI wsUri(String path) {
    return URI.create("ws://" + base.getHost() + ":" + base.getPort() + path);
  }
}
