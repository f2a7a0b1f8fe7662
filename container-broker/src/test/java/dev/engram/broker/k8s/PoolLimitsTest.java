package dev.engram.broker.k8s;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.broker.controller.PoolStatus;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.broker.testing.ChartObjects;
import dev.engram.broker.testing.EmptyPoolProfile;
import dev.engram.broker.testing.Fake;
import dev.engram.broker.testing.FakeKubelet;
import dev.engram.broker.testing.KubernetesProfile;
import dev.engram.broker.testing.MutableClock;
import dev.engram.broker.testing.Prometheus;
import dev.engram.events.CloudEvent;
import dev.engram.events.CullReason;
import dev.engram.events.EventData;
import dev.engram.events.PodClaimed;
import dev.engram.events.PodCulled;
import dev.engram.events.PodReleased;
import dev.engram.events.Topics;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestTokens;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pool at its limits, against the Fabric8 mock API server in CRUD mode: no warm instance (cold
 * starts), the maximum total reached, and an instance past its maximum lifetime.
 */
@QuarkusTest
@TestProfile(EmptyPoolProfile.class)
@WithKubernetesTestServer(crud = true, setup = ChartObjects.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolLimitsTest {

  private static final String NS = KubernetesProfile.NAMESPACE;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject KubernetesClient client;
  @Inject PodRuntime runtime;
  @Inject PoolStatus status;

  @BeforeEach
  void kubelet() {
    Fake.trustTestKeys();
    FakeKubelet.shared(client, NS).mode(FakeKubelet.Mode.READY);
    await().atMost(WAIT).until(status::leader);
  }

  /** Each test starts from an empty pool: its users are released and their pods scaled down. */
  @AfterEach
  void empty() {
    await().atMost(WAIT).until(() -> runtime.instances().isEmpty());
  }

  @Test
  @Order(1)
  void withNoWarmInstanceAClaimColdStartsOneAndSaysSo() {
    String user = "cold-" + UUID.randomUUID();
    String token = TestTokens.forUser(user);
    double coldBefore = Prometheus.sum("engram_broker_claim_seconds_count", "start=\"cold\"");

    connect(token)
        .then()
        .statusCode(200)
        .body("userId", equalTo(user))
        .body("warm", equalTo(false))
        .body("reused", equalTo(false));

    assertThat(events(user, 1).get(0).data())
        .isInstanceOfSatisfying(PodClaimed.class, c -> assertThat(c.warm()).isFalse());
    assertThat(Prometheus.sum("engram_broker_claim_seconds_count", "start=\"cold\""))
        .isEqualTo(coldBefore + 1);
    release(token);
  }

  @Test
  @Order(2)
  void aClaimBeyondTheMaximumTotalIsRefusedUntilAnInstanceIsFree() {
    String prefix = "full-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    String first = TestTokens.forUser(prefix + "a");
    String second = TestTokens.forUser(prefix + "b");
    String third = TestTokens.forUser(prefix + "c");
    connect(first).then().statusCode(200);
    connect(second).then().statusCode(200);
    double rejectedBefore = Prometheus.sum("engram_broker_claims_rejected_total", "");

    connect(third)
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .header("Retry-After", notNullValue())
        .body("status", equalTo(503))
        .body("detail", org.hamcrest.Matchers.containsString("2"));
    assertThat(runtime.instances()).hasSize(2);
    assertThat(Prometheus.sum("engram_broker_claims_rejected_total", ""))
        .isEqualTo(rejectedBefore + 1);

    release(first);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> connect(third).then().statusCode(200).body("userId", notNullValue()));
    assertThat(runtime.instances()).hasSizeLessThanOrEqualTo(2);
    release(second);
    release(third);
  }

  @Test
  @Order(3)
  void aBoundInstancePastItsMaximumLifetimeIsSnapshotAndRecycled() {
    String user = "old-" + UUID.randomUUID();
    String token = TestTokens.forUser(user);
    String instance = connect(token).then().statusCode(200).extract().path("instance");
    String ip = client.pods().inNamespace(NS).withName(instance).get().getStatus().getPodIP();
    // In use all along: what releases it is its age, not idleness.
    Fake.busy(ip);
    int snapshots = Fake.snapshotsAt(ip);

    Duration past = Duration.ofHours(2).plusMinutes(1);
    MutableClock.get().advance(past);
    try {
      await()
          .atMost(WAIT)
          .until(() -> client.pods().inNamespace(NS).withName(instance).get() == null);
    } finally {
      // Pods created from now on are young again, as the API server stamps them.
      MutableClock.get().advance(past.negated());
    }

    assertThat(Fake.snapshotsAt(ip)).isEqualTo(snapshots + 1);
    List<CloudEvent<EventData>> events = events(user, 3);
    assertThat(events)
        .filteredOn(e -> e.data() instanceof PodReleased)
        .singleElement()
        .satisfies(e -> assertThat(((PodReleased) e.data()).reason()).isEqualTo("max-lifetime"));
    assertThat(events)
        .filteredOn(e -> e.data() instanceof PodCulled)
        .singleElement()
        .satisfies(
            e -> assertThat(((PodCulled) e.data()).reason()).isEqualTo(CullReason.MAX_LIFETIME));
    assertThat(runtime.instances()).noneMatch(i -> i.isBoundTo(user));
    // The user's next connect gets a new instance.
    String next = connect(token).then().statusCode(200).extract().path("instance");
    assertThat(next).isNotEqualTo(instance);
    release(token);
  }

  private static Response connect(String token) {
    return given().auth().oauth2(token).post("/api/v1/connect");
  }

  private static void release(String token) {
    given().auth().oauth2(token).delete("/api/v1/connect").then().statusCode(204);
  }

  private static List<CloudEvent<EventData>> events(String user, int atLeast) {
    return EmbeddedKafka.shared().eventsForUser(Topics.PODS, user, e -> e.size() >= atLeast, WAIT);
  }
}
