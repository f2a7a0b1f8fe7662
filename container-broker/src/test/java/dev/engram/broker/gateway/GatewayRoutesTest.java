package dev.engram.broker.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.broker.claim.Assignment;
import dev.engram.broker.claim.AssignmentCache;
import dev.engram.broker.claim.AssignmentStore;
import dev.engram.broker.controller.PoolStatus;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.broker.testing.ChartObjects;
import dev.engram.broker.testing.Fake;
import dev.engram.broker.testing.FakeKubelet;
import dev.engram.broker.testing.FakeUpstreams;
import dev.engram.broker.testing.KubernetesProfile;
import dev.engram.broker.testing.WsClient;
import dev.engram.testing.RawHttp;
import dev.engram.testing.TestTokens;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gateway against real Redis (rate limits, assignments) and Kafka, with pods on the mock API
 * server answered by {@link dev.engram.broker.testing.FakeOrchestrator} and session-service and
 * memory-service stood in for by {@link dev.engram.broker.testing.FakeUpstreams}.
 */
@QuarkusTest
@TestProfile(KubernetesProfile.class)
@WithKubernetesTestServer(crud = true, setup = ChartObjects.class)
class GatewayRoutesTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject KubernetesClient client;
  @Inject PodRuntime runtime;
  @Inject PoolStatus status;
  @Inject AssignmentCache cache;
  @Inject AssignmentStore assignments;

  @TestHTTPResource("/")
  URI base;

  @BeforeEach
  void pool() {
    Fake.trustTestKeys();
    FakeKubelet.shared(client, KubernetesProfile.NAMESPACE).mode(FakeKubelet.Mode.READY);
    await()
        .atMost(WAIT)
        .until(() -> status.leader() && runtime.instances().stream().anyMatch(Instance::isWarm));
  }

  @Test
  void aBearerHeaderIsVerifiedAndForwarded() {
    String token = TestTokens.forUser(user("header"));
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/sessions?page=2")
        .then()
        .statusCode(200)
        .header("X-Upstream", "session-service")
        .body("uri", equalTo("/api/v1/sessions?page=2"))
        .body("authorization", equalTo("Bearer " + token))
        .body("forwardedFor", notNullValue());
  }

  @Test
  void anAccessTokenParameterIsVerifiedAndForwardedAsABearerHeader() {
    String token = TestTokens.forUser(user("query"));
    given()
        .queryParam("access_token", token)
        .get("/api/v1/memories/search")
        .then()
        .statusCode(200)
        .header("X-Upstream", "memory-service")
        .body("authorization", equalTo("Bearer " + token));
  }

  @Test
  void theCookieOfTheDevelopmentSignInAuthenticates() {
    String user = user("cookie");
    Response signIn =
        given()
            .contentType("application/json")
            .body(Map.of("userId", user))
            .post("/api/v1/dev/token")
            .then()
            .statusCode(200)
            .body("userId", equalTo(user))
            .extract()
            .response();
    String cookie = signIn.getCookie("engram_token");
    assertThat(cookie).isEqualTo(signIn.path("token"));
    assertThat(signIn.getDetailedCookie("engram_token").isHttpOnly()).isTrue();

    given()
        .cookie("engram_token", cookie)
        .get("/api/v1/facts")
        .then()
        .statusCode(200)
        .header("X-Upstream", "memory-service")
        .body("authorization", equalTo("Bearer " + cookie));
  }

  @Test
  void theDevelopmentSignInRefusesABadUserName() {
    given()
        .contentType("application/json")
        .body(Map.of("userId", "no spaces please"))
        .post("/api/v1/dev/token")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/validation"));
  }

  @Test
  void aMissingOrInvalidTokenIsAProblem() {
    unauthorized(given().get("/api/v1/sessions"));
    unauthorized(given().auth().oauth2("not-a-jwt").get("/api/v1/sessions"));
    unauthorized(
        given().auth().oauth2(TestTokens.expired("late", Duration.ofMinutes(5))).get("/ws/chat"));
    String forged = TestTokens.forUser("mallory");
    String tampered = forged.substring(0, forged.lastIndexOf('.') + 1) + "AAAA";
    unauthorized(given().queryParam("access_token", tampered).get("/api/v1/memories"));
    unauthorized(given().cookie("engram_token", "").get("/api/v1/stm"));
  }

  @ParameterizedTest
  @CsvSource({
    "/api/v1/sessions, session-service",
    "/api/v1/sessions/s-1/messages, session-service",
    "/api/v1/users/me/export, session-service",
    "/api/v1/memories, memory-service",
    "/api/v1/memories/m-1/reinforce, memory-service",
    "/api/v1/facts, memory-service",
    "/api/v1/procedures/p-1, memory-service",
    "/api/v1/recall, memory-service",
    "/api/v1/clusters, memory-service",
    "/api/v1/analytics/decay, memory-service",
    "/api/v1/analytics/strength, memory-service",
  })
  void servicePathsGoToTheirService(String path, String service) {
    given()
        .auth()
        .oauth2(TestTokens.forUser(user("route")))
        .contentType("application/json")
        .body("{\"q\":1}")
        .post(path)
        .then()
        .statusCode(200)
        .body("service", equalTo(service))
        .body("method", equalTo("POST"))
        .body("uri", equalTo(path))
        .body("body", equalTo("{\"q\":1}"));
  }

  @Test
  void anUpstreamAnswerIsPassedThroughAsItIs() {
    given()
        .auth()
        .oauth2(TestTokens.forUser(user("missing")))
        .get("/api/v1/sessions/missing")
        .then()
        .statusCode(404)
        .header("X-Upstream", "session-service");
  }

  @Test
  void anUpstreamServiceThatHangsUpIsA503ProblemWithRetryAfter() {
    given()
        .auth()
        .oauth2(TestTokens.forUser(user("hung-up")))
        .get(FakeUpstreams.HANG_UP)
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .header("Retry-After", "2")
        .body("type", equalTo("https://engram.dev/problems/unavailable"))
        .body("detail", containsString("session-service"))
        .body("instance", equalTo(FakeUpstreams.HANG_UP));
  }

  /**
   * The broker's own endpoints refuse a body over its limit; routed paths stream bodies through,
   * and the service behind answers for its own limit.
   */
  @Test
  void aBodyDeclaredOverTheLimitOfTheBrokersOwnEndpointsIsAProblemBeforeItIsSent() {
    RawHttp.Reply reply =
        RawHttp.declareBody(
            URI.create(RestAssured.baseURI + ":" + RestAssured.port),
            "/api/v1/connect",
            TestTokens.forUser(user("huge")),
            11L * 1024 * 1024);
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(reply.body())
        .contains("\"type\":\"https://engram.dev/problems/payload-too-large\"")
        .contains("\"limit\":10485760");
  }

  @Test
  void pathsThatOnlyLookAlikeAreNotRouted() {
    given()
        .auth()
        .oauth2(TestTokens.forUser(user("lookalike")))
        .get("/api/v1/sessionsx")
        .then()
        .statusCode(404);
  }

  @Test
  void instancePathsClaimTheCallersOwnInstanceOnFirstUse() {
    String user = user("own");
    String token = TestTokens.forUser(user);
    Response first = given().auth().oauth2(token).get("/api/v1/stm");
    first.then().statusCode(200).body("userId", equalTo(user));
    String instance = first.path("instance");
    assertThat((String) first.path("authorization")).isEqualTo("Bearer " + token);

    for (String path :
        List.of("/api/v1/stm", "/api/v1/turns", "/api/v1/context/current", "/app/index.html")) {
      given()
          .auth()
          .oauth2(token)
          .get(path)
          .then()
          .statusCode(200)
          .body("instance", equalTo(instance))
          .body("path", equalTo(path));
    }
    given()
        .auth()
        .oauth2(token)
        .post("/api/v1/connect")
        .then()
        .statusCode(200)
        .body("reused", equalTo(true));

    String other = user("neighbour");
    given()
        .auth()
        .oauth2(TestTokens.forUser(other))
        .get("/api/v1/stm")
        .then()
        .statusCode(200)
        .body("userId", equalTo(other))
        .body("instance", org.hamcrest.Matchers.not(equalTo(instance)));
  }

  @Test
  void theRateLimitIsPerUserAndAnswers429WithRetryAfter() {
    String greedy = TestTokens.forUser(user("greedy"));
    Response limited = null;
    for (int i = 0; i < 200 && limited == null; i++) {
      Response response = given().auth().oauth2(greedy).get("/api/v1/facts");
      if (response.statusCode() == 429) {
        limited = response;
      } else {
        assertThat(response.statusCode()).isEqualTo(200);
      }
    }
    assertThat(limited).as("no 429 within 200 requests (capacity 30)").isNotNull();
    limited
        .then()
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/rate-limited"))
        .body("status", equalTo(429));
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isGreaterThanOrEqualTo(1);

    given()
        .auth()
        .oauth2(TestTokens.forUser(user("patient")))
        .get("/api/v1/facts")
        .then()
        .statusCode(200);
  }

  @Test
  void webSocketFramesFlowBothWaysWithTheTokenAsTheBrowsersSubprotocol() throws Exception {
    String user = user("browser");
    String token = TestTokens.forUser(user);
    try (WsClient ws = WsClient.browser(wsUri("/ws/chat?lastEventId=7"), token)) {
      assertThat(ws.subprotocol()).isEqualTo("bearer-token-carrier");
      ws.send("hello");
      assertThat(ws.next()).isEqualTo("echo:" + user + ":hello");
      ws.send("again");
      assertThat(ws.next()).isEqualTo("echo:" + user + ":again");
    }
    String ip = instanceOf(token);
    assertThat(Fake.webSocketAuthorizationAt(ip)).isEqualTo("Bearer " + token);
    assertThat(Fake.webSocketProtocolsAt(ip)).isEqualTo("bearer-token-carrier");
  }

  @Test
  void whatTheInstanceSaysTheMomentTheSocketOpensReachesTheCaller() throws Exception {
    String user = user("greeted");
    String token = TestTokens.forUser(user);
    // the real orchestrator sends hello at once; it raced the gateway's accepting of the caller
    for (int i = 0; i < 20; i++) {
      try (WsClient ws = WsClient.withHeader(wsUri("/ws/chat?greet=1"), token)) {
        assertThat(ws.next(10)).as("connection %d", i).isEqualTo("greeting:" + user);
        ws.send("after");
        assertThat(ws.next(10)).isEqualTo("echo:" + user + ":after");
      }
    }
  }

  @Test
  void webSocketsAcceptTheHeaderAndTheQueryParameterToo() throws Exception {
    String user = user("ws");
    String token = TestTokens.forUser(user);
    try (WsClient ws = WsClient.withHeader(wsUri("/ws/chat"), token)) {
      ws.send("one");
      assertThat(ws.next()).isEqualTo("echo:" + user + ":one");
    }
    try (WsClient ws = WsClient.plain(wsUri("/ws/chat?access_token=" + token))) {
      assertThat(ws.subprotocol()).isEmpty();
      ws.send("two");
      assertThat(ws.next()).isEqualTo("echo:" + user + ":two");
    }
    assertThat(WsClient.handshake(wsUri("/ws/chat"), null).statusCode()).isEqualTo(401);
  }

  @Test
  void aStaleCachedRouteIsRefusedByTheInstanceDroppedAndRoutedAgain() {
    String user = user("cached");
    String token = TestTokens.forUser(user);
    Response mine = given().auth().oauth2(token).get("/api/v1/stm");
    mine.then().statusCode(200).body("userId", equalTo(user));
    String other = user("other");
    Response theirs = given().auth().oauth2(TestTokens.forUser(other)).get("/api/v1/stm");
    theirs.then().statusCode(200).body("userId", equalTo(other));
    Assignment actual = cache.get(user).orElseThrow();
    String otherEndpoint = cache.get(other).orElseThrow().endpoint();

    // As if the instance had moved under the cache: same name, but another user's endpoint (the
    // view still shows the name bound to the caller, so only the instance can tell).
    cache.put(
        new Assignment(
            user, actual.instance(), otherEndpoint, actual.claimId() + "-stale", Instant.now()));
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/stm")
        .then()
        .statusCode(200)
        .body("userId", equalTo(user))
        .body("instance", equalTo((String) mine.path("instance")));
    assertThat(cache.get(user)).hasValue(actual);

    // An entry the view contradicts (the instance serves someone else) is not even tried.
    Assignment otherAssignment = cache.get(other).orElseThrow();
    cache.put(
        new Assignment(
            user,
            otherAssignment.instance(),
            otherEndpoint,
            otherAssignment.claimId(),
            Instant.now()));
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/stm")
        .then()
        .statusCode(200)
        .body("userId", equalTo(user))
        .body("instance", equalTo((String) mine.path("instance")));
    assertThat(Fake.userAt(theirs.path("instance"))).isEqualTo(other);
  }

  @Test
  void theInstanceClosingItsSocketClosesTheCallers() throws Exception {
    String token = TestTokens.forUser(user("closer"));
    try (WsClient ws = WsClient.withHeader(wsUri("/ws/chat"), token)) {
      ws.send("bye");
      assertThat(ws.awaitClose()).isEqualTo(1000);
    }
  }

  @Test
  void aLostInstanceAnswers503AndTheNextRequestGetsANewOne() {
    String user = user("lost");
    String token = TestTokens.forUser(user);
    String instance = instanceOf(token);
    Fake.goDown(instance);

    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/stm")
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .header("Retry-After", "2")
        .body("type", equalTo("https://engram.dev/problems/unavailable"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Response again = given().auth().oauth2(token).get("/api/v1/stm");
              assertThat(again.statusCode()).isEqualTo(200);
              assertThat((String) again.path("instance")).isNotEqualTo(instance);
              assertThat((String) again.path("userId")).isEqualTo(user);
            });
  }

  @Test
  void anUnreachableAssignmentTheViewDoesNotBearOutCullsNoInstance() {
    String user = user("stale-assignment");
    String token = TestTokens.forUser(user);
    Instance warm =
        await().atMost(WAIT).until(() -> anyWarm(), java.util.Optional::isPresent).get();
    // an assignment to an instance that is warm by now (released, perhaps claimed again by another
    // replica whose claim this view does not show yet), at an address that does not answer
    assignments
        .put(
            new Assignment(
                user, warm.name(), "http://127.0.0.1:1", "claim-long-gone", Instant.now()))
        .await()
        .atMost(WAIT);

    given().auth().oauth2(token).get("/api/v1/stm").then().statusCode(503);

    // the assignment is gone, the instance is not
    assertThat(assignments.get(user).await().atMost(WAIT)).isEmpty();
    assertThat(client.pods().inNamespace(KubernetesProfile.NAMESPACE).withName(warm.name()).get())
        .isNotNull()
        .satisfies(p -> assertThat(p.getMetadata().getDeletionTimestamp()).isNull());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Response again = given().auth().oauth2(token).get("/api/v1/stm");
              assertThat(again.statusCode()).isEqualTo(200);
              assertThat((String) again.path("userId")).isEqualTo(user);
            });
  }

  private java.util.Optional<Instance> anyWarm() {
    return runtime.instances().stream().filter(Instance::isWarm).findFirst();
  }

  @Test
  void aLostInstanceRefusesTheWebSocketWith503AndTheNextConnectGetsANewOne() throws Exception {
    String user = user("lost-ws");
    String token = TestTokens.forUser(user);
    String instance = instanceOf(token);
    Fake.goDown(instance);

    var refused = WsClient.handshake(wsUri("/ws/chat"), token);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");

    await()
        .atMost(WAIT)
        // a handshake refused meanwhile throws: retried like a failed assertion
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              try (WsClient ws = WsClient.withHeader(wsUri("/ws/chat"), token)) {
                ws.send("back");
                assertThat(ws.next()).isEqualTo("echo:" + user + ":back");
              }
            });
    assertThat(instanceOf(token)).isNotEqualTo(instance);
  }

  @Test
  void thePoolIsForOperatorsOnly() {
    given().get("/api/v1/pool").then().statusCode(401);
    given()
        .auth()
        .oauth2(TestTokens.forUser(user("curious")))
        .get("/api/v1/pool")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(TestTokens.mint("ops", List.of("user", "operator"), Duration.ofHours(1), Map.of()))
        .get("/api/v1/pool")
        .then()
        .statusCode(200)
        .body("warm", greaterThanOrEqualTo(1))
        .body("leader", equalTo(true))
        .body("bound", greaterThanOrEqualTo(0))
        .body("runtime", equalTo("kubernetes"));
  }

  /** The address of the caller's instance, as the instance itself reports it. */
  private static String instanceOf(String token) {
    return given()
        .auth()
        .oauth2(token)
        .get("/api/v1/stm")
        .then()
        .statusCode(200)
        .extract()
        .path("instance");
  }

  @ParameterizedTest
  @CsvSource({".engram-prime", ".engram-warmup-0a1b2c3d", ".engram-"})
  void theBrokersOwnUsersAreRefusedAtThePublicEdge(String reserved) throws Exception {
    String token = TestTokens.forUser(reserved);
    for (String path : List.of("/api/v1/sessions", "/api/v1/memories", "/api/v1/stm", "/app/")) {
      given()
          .auth()
          .oauth2(token)
          .get(path)
          .then()
          .statusCode(403)
          .contentType("application/problem+json")
          .body("type", equalTo("https://engram.dev/problems/reserved-user"))
          .body("detail", containsString(".engram-"));
    }
    given()
        .auth()
        .oauth2(token)
        .post("/api/v1/connect")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/reserved-user"));
    given().auth().oauth2(token).delete("/api/v1/connect").then().statusCode(403);
    assertThat(WsClient.handshake(wsUri("/ws/chat"), token).statusCode()).isEqualTo(403);
    // nothing was claimed for it, nor counted against a bucket
    assertThat(runtime.instances()).noneMatch(i -> reserved.equals(i.userId()));
    // a user whose id merely contains the prefix is an ordinary user
    given()
        .auth()
        .oauth2(TestTokens.forUser("x.engram-" + UUID.randomUUID()))
        .get("/api/v1/sessions")
        .then()
        .statusCode(200);
  }

  private URI wsUri(String path) {
    return URI.create("ws://" + base.getHost() + ":" + base.getPort() + path);
  }

  private static void unauthorized(Response response) {
    response
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", "Bearer")
        .body("type", equalTo("https://engram.dev/problems/unauthorized"))
        .body("status", equalTo(401));
  }

  private static String user(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
