package dev.engram.broker.k8s;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.broker.claim.AssignmentStore;
import dev.engram.broker.controller.Leadership;
import dev.engram.broker.controller.PoolStatus;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.runtime.ClaimConflictException;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.broker.testing.ApiAudit;
import dev.engram.broker.testing.ApiHelper;
import dev.engram.broker.testing.ChartObjects;
import dev.engram.broker.testing.Fake;
import dev.engram.broker.testing.FakeKubelet;
import dev.engram.broker.testing.KubernetesProfile;
import dev.engram.broker.testing.MutableClock;
import dev.engram.broker.testing.Prometheus;
import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.PodClaimed;
import dev.engram.events.PodCulled;
import dev.engram.events.PodReleased;
import dev.engram.events.Topics;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestTokens;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool on Kubernetes, against the Fabric8 mock API server in CRUD mode. */
@QuarkusTest
@TestProfile(KubernetesProfile.class)
@WithKubernetesTestServer(crud = true, setup = ChartObjects.class)
class KubernetesPoolTest {

  private static final String NS = KubernetesProfile.NAMESPACE;

  /** Generous: the mock API server is slow when the machine is busy. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static FakeKubelet kubelet;

  @Inject KubernetesClient client;
  @Inject PodRuntime runtime;
  @Inject PoolStatus status;
  @Inject Leadership leadership;
  @Inject PoolLease lease;
  @Inject PodOwner owner;
  @Inject AssignmentStore assignments;
  @KubernetesTestServer KubernetesServer mockServer;

  @BeforeEach
  void kubelet() {
    Fake.trustTestKeys();
    kubelet = FakeKubelet.shared(client, NS);
    kubelet.mode(FakeKubelet.Mode.READY);
    await().atMost(WAIT).until(() -> status.leader() && warm().size() >= 3);
  }

  @AfterEach
  void ready() {
    kubelet.mode(FakeKubelet.Mode.READY);
  }

  @Test
  void refillsTheWarmPoolWithLabelledHardenedPods() {
    assertThat(warm()).hasSizeGreaterThanOrEqualTo(3);
    Pod pod = client.pods().inNamespace(NS).withName(warm().get(0).name()).get();
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(Labels.NAME, "orchestrator-service")
        .containsEntry(Labels.COMPONENT, "orchestrator")
        .containsEntry(Labels.PART_OF, "engram")
        .containsEntry(Labels.MANAGED_BY, "container-broker")
        .containsEntry(Labels.STATE, Labels.UNBOUND);
    // owned by the chart's pod template: helm uninstall deletes it, and the collector the pods
    String ownerUid =
        client
            .configMaps()
            .inNamespace(NS)
            .withName(ChartObjects.POD_TEMPLATE)
            .get()
            .getMetadata()
            .getUid();
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getApiVersion()).isEqualTo("v1");
              assertThat(o.getKind()).isEqualTo("ConfigMap");
              assertThat(o.getName()).isEqualTo(ChartObjects.POD_TEMPLATE);
              assertThat(o.getUid()).isEqualTo(ownerUid);
              assertThat(o.getBlockOwnerDeletion()).isFalse();
            });
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    var container = pod.getSpec().getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
  }

  @Test
  void aClaimRecordsTheUserOnThePodAndTheSameUserGetsTheSamePod() {
    String user = "claim-" + UUID.randomUUID();
    String token = TestTokens.forUser(user);
    Response first = connect(token);
    first.then().statusCode(200).body("userId", equalTo(user)).body("state", equalTo("BOUND"));
    String instance = first.path("instance");
    connect(token)
        .then()
        .statusCode(200)
        .body("instance", equalTo(instance))
        .body("reused", equalTo(true));

    Pod pod = client.pods().inNamespace(NS).withName(instance).get();
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(Labels.STATE, Labels.BOUND)
        .containsEntry(Labels.USER, Labels.userHash(user));
    assertThat(pod.getMetadata().getAnnotations()).containsEntry(Labels.USER_ID, user);
    assertThat(Fake.userAt(pod.getStatus().getPodIP())).isEqualTo(user);
    assertThat(Fake.rejectedTokens()).isZero();

    List<CloudEvent<EventData>> events = events(user, 1);
    assertThat(events.get(0).data())
        .isInstanceOfSatisfying(PodClaimed.class, c -> assertThat(c.podName()).isEqualTo(instance));
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("engram_broker_claim_seconds_count"));
  }

  @Test
  void fiftyUsersClaimingAtOnceGetFiftyDistinctPods() throws Exception {
    String prefix = "crowd-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    List<Callable<String>> claims = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String token = TestTokens.forUser(prefix + i);
      claims.add(() -> connect(token).then().statusCode(200).extract().path("instance"));
    }
    List<String> instances = runAll(claims);
    assertThat(new HashSet<>(instances)).hasSize(50);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<String> boundUsers =
                  client
                      .pods()
                      .inNamespace(NS)
                      .withLabel(Labels.STATE, Labels.BOUND)
                      .list()
                      .getItems()
                      .stream()
                      .map(p -> p.getMetadata().getAnnotations().get(Labels.USER_ID))
                      .filter(u -> u.startsWith(prefix))
                      .toList();
              assertThat(boundUsers).hasSize(50).doesNotHaveDuplicates();
            });
  }

  @Test
  void oneUserClaimingFiftyTimesAtOnceGetsOnePod() throws Exception {
    String token = TestTokens.forUser("eager-" + UUID.randomUUID());
    List<Callable<String>> claims = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      claims.add(() -> connect(token).then().statusCode(200).extract().path("instance"));
    }
    assertThat(new HashSet<>(runAll(claims))).hasSize(1);
  }

  @Test
  void aClaimOnAPodThatChangedSinceItWasObservedConflicts() {
    Instance observed = warm().get(0);
    // the test's own edit is optimistically locked too: the broker may touch the pod meanwhile
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                client
                        .pods()
                        .inNamespace(NS)
                        .withName(observed.name())
                        .edit(
                            p -> {
                              p.getMetadata().getAnnotations().put("test/touched", "yes");
                              return p;
                            })
                    != null);
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> runtime.claim(observed, "late", "claim-1").await().atMost(WAIT)))
        .isInstanceOf(ClaimConflictException.class);
    Pod pod = client.pods().inNamespace(NS).withName(observed.name()).get();
    assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.STATE, Labels.UNBOUND);
  }

  @Test
  void releaseSnapshotsAndReturnsThePodToThePool() {
    String user = "release-" + UUID.randomUUID();
    String token = TestTokens.forUser(user);
    String instance = connect(token).then().statusCode(200).extract().path("instance");
    String ip = client.pods().inNamespace(NS).withName(instance).get().getStatus().getPodIP();
    // A pod returned to the pool by an earlier test keeps its address, and the fake its count.
    int snapshots = Fake.snapshotsAt(ip);

    given().auth().oauth2(token).delete("/api/v1/connect").then().statusCode(204);
    given()
        .auth()
        .oauth2(token)
        .delete("/api/v1/connect")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");

    assertThat(Fake.snapshotsAt(ip)).isEqualTo(snapshots + 1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(client.pods().inNamespace(NS).withName(instance).get())
                    .satisfiesAnyOf(
                        p -> assertThat(p).isNull(),
                        p ->
                            assertThat(p.getMetadata().getLabels())
                                .containsEntry(Labels.STATE, Labels.UNBOUND)));
    assertThat(assignments.get(user).await().indefinitely()).isEmpty();
    assertThat(events(user, 2).get(1).data())
        .isInstanceOfSatisfying(
            PodReleased.class, r -> assertThat(r.reason()).isEqualTo("requested"));
  }

  @Test
  void concurrentReleasesOfOneUserReleaseItsInstanceOnce() throws Exception {
    String user = "double-release-" + UUID.randomUUID();
    String token = TestTokens.forUser(user);
    String instance = connect(token).then().statusCode(200).extract().path("instance");
    String ip = client.pods().inNamespace(NS).withName(instance).get().getStatus().getPodIP();
    int snapshots = Fake.snapshotsAt(ip);

    List<Callable<String>> releases = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      releases.add(
          () ->
              String.valueOf(
                  given()
                      .auth()
                      .oauth2(token)
                      .delete("/api/v1/connect")
                      .then()
                      .extract()
                      .statusCode()));
    }
    List<String> statuses = runAll(releases);
    assertThat(statuses).contains("204").allMatch(s -> s.equals("204") || s.equals("404"));
    assertThat(Fake.snapshotsAt(ip)).isEqualTo(snapshots + 1);

    // the user's events are ordered (keyed by the user): between the first claim and the next
    // there is exactly one release
    connect(token).then().statusCode(200).body("reused", equalTo(false));
    List<CloudEvent<EventData>> events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.PODS,
                user,
                e -> e.stream().filter(c -> c.data() instanceof PodClaimed).count() >= 2,
                WAIT);
    assertThat(events.stream().map(e -> e.data().getClass().getSimpleName()))
        .containsExactly("PodClaimed", "PodReleased", "PodClaimed");
  }

  @Test
  void idleInstancesAreReleasedAndCulledByTheActivityTheyReport() {
    String user = "idle-" + UUID.randomUUID();
    String token = TestTokens.forUser(user);
    String instance = connect(token).then().statusCode(200).extract().path("instance");
    String ip = client.pods().inNamespace(NS).withName(instance).get().getStatus().getPodIP();
    // A pod returned to the pool by an earlier test keeps its address, and the fake its count.
    int snapshots = Fake.snapshotsAt(ip);
    Fake.activeNow(ip);
    // A check that began before the activity would see it change on the next one, restarting the
    // idle time after the jump below: wait for a check that began after it.
    Instant active = MutableClock.get().instant();
    MutableClock.get().advance(Duration.ofSeconds(11));
    awaitHeartbeatAfter(instance, active);

    MutableClock.get().advance(Duration.ofMinutes(31));

    await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace(NS).withName(instance).get() == null);
    assertThat(Fake.snapshotsAt(ip)).isEqualTo(snapshots + 1);
    List<CloudEvent<EventData>> events = events(user, 3);
    assertThat(events)
        .extracting(e -> e.data().getClass().getSimpleName())
        .contains("PodReleased", "PodCulled");
    assertThat(events)
        .filteredOn(e -> e.data() instanceof PodCulled)
        .singleElement()
        .satisfies(e -> assertThat(((PodCulled) e.data()).reason().name()).isEqualTo("IDLE"));
  }

  @Test
  void aRestartedBrokerRebuildsItsViewFromThePods() {
    String user = "restart-" + UUID.randomUUID();
    String instance =
        connect(TestTokens.forUser(user)).then().statusCode(200).extract().path("instance");
    // a check of the bound pod records its activity on it
    awaitHeartbeatAfter(instance, MutableClock.get().instant());
    var annotations =
        client.pods().inNamespace(NS).withName(instance).get().getMetadata().getAnnotations();
    Instant activeSince = Instant.parse(annotations.get(Labels.ACTIVE_SINCE));
    assertThat(annotations.get(Labels.ACTIVITY_REPORTED)).isNotBlank();

    KubernetesRuntime restarted =
        new KubernetesRuntime(client, config(), lease, owner, MutableClock.get());
    restarted.start();
    try {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(restarted.instances())
                      .anySatisfy(
                          i -> {
                            assertThat(i.name()).isEqualTo(instance);
                            assertThat(i.phase()).isEqualTo(InstancePhase.BOUND);
                            assertThat(i.userId()).isEqualTo(user);
                            // idle time goes on from here, not from the restart
                            assertThat(i.activity()).isNotNull();
                            assertThat(i.activity().since()).isEqualTo(activeSince);
                            assertThat(i.activity().reported())
                                .isEqualTo(
                                    Instant.parse(annotations.get(Labels.ACTIVITY_REPORTED)));
                          }));
      assertThat(restarted.instances().stream().filter(Instance::isWarm).count())
          .isEqualTo(runtime.instances().stream().filter(Instance::isWarm).count());
    } finally {
      restarted.stop();
    }
  }

  @Test
  void podsOfAFormerOwnerAndPodsWithAStaleHeartbeatAreCollected() {
    Pod foreign =
        new OrchestratorPodBuilder(config().kubernetes(), java.util.Optional.empty())
            .build(
                "engram-orchestrator-foreign",
                new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                    .withApiVersion("coordination.k8s.io/v1")
                    .withKind("Lease")
                    .withName("old")
                    .withUid(UUID.randomUUID().toString())
                    .build(),
                "old-broker");
    client.pods().inNamespace(NS).resource(foreign).create();
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.pods().inNamespace(NS).withName(foreign.getMetadata().getName()).get()
                    == null);

    String user = "stale-" + UUID.randomUUID();
    String instance =
        connect(TestTokens.forUser(user)).then().statusCode(200).extract().path("instance");
    String ip = client.pods().inNamespace(NS).withName(instance).get().getStatus().getPodIP();
    Fake.breakDown(ip);
    MutableClock.get().advance(Duration.ofMinutes(6));
    await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace(NS).withName(instance).get() == null);
    assertThat(events(user, 3))
        .filteredOn(e -> e.data() instanceof PodCulled)
        .singleElement()
        .satisfies(e -> assertThat(((PodCulled) e.data()).reason().name()).isEqualTo("ORPHAN"));
  }

  @Test
  void refillBacksOffWhilePodsFailAndResumesAfterTheBackoff() {
    kubelet.mode(FakeKubelet.Mode.FAIL);
    connect(TestTokens.forUser("backoff-" + UUID.randomUUID())).then().statusCode(200);
    await()
        .atMost(WAIT)
        .until(() -> status.backoffUntil() != null && status.consecutiveFailures() >= 1);
    int started = kubelet.started();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> kubelet.started() == started);
    given()
        .auth()
        .oauth2(operatorToken())
        .get("/api/v1/pool")
        .then()
        .statusCode(200)
        .body("leader", equalTo(true))
        .body("consecutiveFailures", org.hamcrest.Matchers.greaterThanOrEqualTo(1));

    kubelet.mode(FakeKubelet.Mode.READY);
    MutableClock.get().advance(Duration.ofHours(3));
    await().atMost(WAIT).until(() -> warm().size() >= 3 && status.consecutiveFailures() == 0);
  }

  @Test
  void refillBacksOffWhenTheApiRefusesToCreateAPod() {
    await().atMost(WAIT).until(() -> status.consecutiveFailures() == 0);
    double failuresBefore = Prometheus.sum("engram_broker_refill_failures_total", "");
    // one refusal, as a namespace quota that is full answers
    mockServer
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + NS + "/pods")
        .andReturn(
            403,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":"
                + "\"Forbidden\",\"message\":\"exceeded quota: pods\",\"code\":403}")
        .once();
    Instance gone = warm().get(0);
    client.pods().inNamespace(NS).withName(gone.name()).delete();

    await()
        .atMost(WAIT)
        .until(() -> status.backoffUntil() != null && status.consecutiveFailures() == 1);
    assertThat(Prometheus.sum("engram_broker_refill_failures_total", ""))
        .isEqualTo(failuresBefore + 1);
    // no second try while the backoff lasts (the next create would succeed)
    int pods = client.pods().inNamespace(NS).list().getItems().size();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> client.pods().inNamespace(NS).list().getItems().size() == pods);

    MutableClock.get().advance(Duration.ofHours(3));
    await().atMost(WAIT).until(() -> warm().size() >= 3 && status.consecutiveFailures() == 0);
  }

  @Test
  void anotherReplicaTakesOverWhenTheLeaderStepsDown() {
    AtomicBoolean otherLeads = new AtomicBoolean();
    LeaderElection other =
        new LeaderElection(
            client,
            NS,
            lease.name(),
            "broker-b",
            new LeaderElection.Timing(
                Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500)),
            () -> otherLeads.set(true),
            () -> otherLeads.set(false));
    other.start();
    try {
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(2))
          .until(() -> !otherLeads.get() && status.leader());
      leadership.stand(false);
      await().atMost(WAIT).until(() -> otherLeads.get() && !status.leader());
      // Standing by, the replica's gauges still follow its view (no leader here refills).
      Instance gone = warm().get(0);
      int warmBefore = warm().size();
      client.pods().inNamespace(NS).withName(gone.name()).delete();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(Prometheus.sum("engram_broker_pool_instances", "phase=\"warm\""))
                      .isEqualTo(warmBefore - 1));
      given()
          .auth()
          .oauth2(operatorToken())
          .get("/api/v1/pool")
          .then()
          .statusCode(200)
          .body("leader", equalTo(false));
      leadership.stand(true);
      other.stop();
      await().atMost(WAIT).until(() -> status.leader());
    } finally {
      other.stop();
      leadership.stand(true);
    }
  }

  @Test
  void noPodIsCreatedWithoutItsOwnerAndAReCreatedOwnerTakesThePoolOver() {
    String before = owner.uid();
    assertThat(before).isNotNull();
    try (KubernetesClient operator = ApiHelper.of(client)) {
      operator.configMaps().inNamespace(NS).withName(ChartObjects.POD_TEMPLATE).delete();
      await().atMost(WAIT).until(() -> owner.uid() == null);
      // a refill while the owner is gone: refused (an unowned pod would outlive an uninstall)
      await().atMost(WAIT).until(() -> status.consecutiveFailures() == 0);
      operator.pods().inNamespace(NS).withName(warm().get(0).name()).delete();
      await()
          .atMost(WAIT)
          .until(() -> status.backoffUntil() != null && status.consecutiveFailures() >= 1);
      assertThat(managedPods())
          .allSatisfy(
              p ->
                  assertThat(p.getMetadata().getOwnerReferences())
                      .singleElement()
                      .satisfies(o -> assertThat(o.getUid()).isEqualTo(before)));

      String after = ChartObjects.createPodTemplate(operator).getMetadata().getUid();
      await().atMost(WAIT).until(() -> after.equals(owner.uid()));
    }
    // after the backoff, the former owner's pods are orphans: collected, and the pool refilled
    // with pods of the new one
    String after = owner.uid();
    MutableClock.get().advance(Duration.ofHours(3));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(managedPods())
                    .hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(
                        p ->
                            assertThat(p.getMetadata().getOwnerReferences())
                                .singleElement()
                                .satisfies(o -> assertThat(o.getUid()).isEqualTo(after))));
    await().atMost(WAIT).until(() -> warm().size() >= 3 && status.consecutiveFailures() == 0);
  }

  @Test
  void everyRequestTheBrokerMakesIsAllowedByTheChartsRole() {
    ApiAudit audit = new ApiAudit(mockServer);
    // a claim and a release (patches of a pod), a pod gone (a create), the leader's renewals
    String token = TestTokens.forUser("audit-" + UUID.randomUUID());
    connect(token).then().statusCode(200);
    given().auth().oauth2(token).delete("/api/v1/connect").then().statusCode(204);
    client.pods().inNamespace(NS).withName(warm().get(0).name()).delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(audit.grantsUsed())
                    .contains(
                        "/pods list",
                        "/pods watch",
                        "/pods create",
                        "/pods patch",
                        "coordination.k8s.io/leases get",
                        "coordination.k8s.io/leases patch",
                        "/configmaps list",
                        "/configmaps watch"));
    assertThat(audit.denied()).isEmpty();
    // the pods' owner is read by its name only, as the Role's resourceNames require
    assertThat(audit.brokerRequests())
        .filteredOn(r -> r.resource().equals("configmaps"))
        .allSatisfy(r -> assertThat(r.name()).isEqualTo(ChartObjects.POD_TEMPLATE));
  }

  private List<Pod> managedPods() {
    return client
        .pods()
        .inNamespace(NS)
        .withLabel(Labels.MANAGED_BY, "container-broker")
        .list()
        .getItems();
  }

  @Test
  void thePoolHealthGroupIsDownWhileNoInstanceIsWarmAndReadinessIsNot() {
    poolHealth()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks[0].name", equalTo("warm-pool"))
        .body("checks[0].data.warm", org.hamcrest.Matchers.greaterThanOrEqualTo(3))
        .body("checks[0].data.targetWarm", equalTo(3));
    // no pod becomes ready any more, and the warm ones go
    kubelet.mode(FakeKubelet.Mode.PENDING);
    warm().forEach(w -> client.pods().inNamespace(NS).withName(w.name()).delete());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                poolHealth()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks[0].data.warm", equalTo(0))
                    .body(
                        "checks[0].data.starting", org.hamcrest.Matchers.greaterThanOrEqualTo(1)));
    // an empty pool is not an unready gateway: a claim would cold-start
    given().get("/q/health/ready").then().statusCode(200);

    kubelet.mode(FakeKubelet.Mode.READY);
    managedPods().stream()
        .filter(p -> p.getStatus() == null || p.getStatus().getPhase() == null)
        .forEach(p -> client.pods().inNamespace(NS).withName(p.getMetadata().getName()).delete());
    await()
        .atMost(WAIT)
        .untilAsserted(() -> poolHealth().statusCode(200).body("status", equalTo("UP")));
  }

  private static io.restassured.response.ValidatableResponse poolHealth() {
    return given().get("/q/health/group/pool").then();
  }

  @Test
  void thePoolEndpointIsForOperators() {
    given().auth().oauth2(TestTokens.forUser("nosy")).get("/api/v1/pool").then().statusCode(403);
    given().get("/api/v1/pool").then().statusCode(401).contentType("application/problem+json");
    given()
        .auth()
        .oauth2(operatorToken())
        .get("/api/v1/pool")
        .then()
        .statusCode(200)
        .body("runtime", equalTo("kubernetes"))
        .body("targetWarm", equalTo(3));
  }

  /** Waits until the controller has checked the bound instance (it stamps the heartbeat). */
  /** Waits for a heartbeat written by a check that began after the claim and {@code after}. */
  private void awaitHeartbeatAfter(String instance, Instant after) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var annotations =
                  client
                      .pods()
                      .inNamespace(NS)
                      .withName(instance)
                      .get()
                      .getMetadata()
                      .getAnnotations();
              if (!annotations.containsKey(Labels.HEARTBEAT)) {
                return false;
              }
              Instant heartbeat = Instant.parse(annotations.get(Labels.HEARTBEAT));
              return heartbeat.isAfter(Instant.parse(annotations.get(Labels.BOUND_AT)))
                  && heartbeat.isAfter(after);
            });
  }

  private static String operatorToken() {
    return TestTokens.mint(
        "ops", List.of("user", "operator"), Duration.ofHours(1), java.util.Map.of());
  }

  private dev.engram.broker.config.BrokerConfig config() {
    return io.quarkus.arc.Arc.container()
        .instance(dev.engram.broker.config.BrokerConfig.class)
        .get();
  }

  private List<Instance> warm() {
    return runtime.instances().stream().filter(Instance::isWarm).toList();
  }

  private static Response connect(String token) {
    return given().auth().oauth2(token).post("/api/v1/connect");
  }

  private static List<CloudEvent<EventData>> events(String user, int atLeast) {
    return EmbeddedKafka.shared().eventsForUser(Topics.PODS, user, e -> e.size() >= atLeast, WAIT);
  }

  private static List<String> runAll(List<Callable<String>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<String> results = new ArrayList<>();
      for (Future<String> f : pool.invokeAll(tasks)) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }
}
