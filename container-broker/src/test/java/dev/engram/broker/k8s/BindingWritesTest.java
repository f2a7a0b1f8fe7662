package dev.engram.broker.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.broker.pool.Activity;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.broker.testing.ApiAudit;
import dev.engram.broker.testing.ApiHelper;
import dev.engram.broker.testing.ChartObjects;
import dev.engram.broker.testing.KubernetesProfile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's writes about one binding (unbind, heartbeat) on a real cluster with several broker
 * replicas: the pod may have been released and claimed again since the write's view of it was
 * taken. Played out deterministically on a pod of its own (outside the pool's selector, so the
 * controller leaves it alone) through the runtime the broker uses, against the mock API server in
 * CRUD mode, which enforces resourceVersion preconditions as the API server does.
 */
@QuarkusTest
@TestProfile(KubernetesProfile.class)
@WithKubernetesTestServer(crud = true, setup = ChartObjects.class)
class BindingWritesTest {

  private static final String NS = KubernetesProfile.NAMESPACE;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject KubernetesClient client;
  @Inject PodRuntime runtime;
  @KubernetesTestServer KubernetesServer mockServer;

  private KubernetesClient operator;
  private final PodInstances instances =
      new PodInstances(8080, Duration.ofMinutes(3), Clock.systemUTC());
  private String name;

  @BeforeEach
  void aPodOfItsOwn() {
    operator = ApiHelper.of(client);
    name = "binding-writes-" + UUID.randomUUID().toString().substring(0, 8);
    operator
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of(Labels.STATE, Labels.UNBOUND, "test", "binding-writes"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("orchestrator")
                .withImage("engram/orchestrator-service:test")
                .endContainer()
                .endSpec()
                // started already: the fake kubelet leaves it alone
                .withNewStatus()
                .withPhase("Running")
                .withPodIP("127.0.9.9")
                .withConditions(
                    new PodConditionBuilder()
                        .withType("Ready")
                        .withStatus("True")
                        .withLastTransitionTime(Instant.now().toString())
                        .build())
                .endStatus()
                .build())
        .create();
  }

  @AfterEach
  void removeIt() {
    operator.pods().inNamespace(NS).withName(name).delete();
    operator.close();
  }

  @Test
  void aStaleUnbindNeverTouchesTheNextBindingOfThePod() {
    Instance boundToA = runtime.claim(observed(), "alice", "claim-a").await().atMost(WAIT);
    assertThat(boundToA.phase()).isEqualTo(InstancePhase.BOUND);
    // released (by this replica or another), and claimed again by another user
    assertThat(runtime.unbind(boundToA).await().atMost(WAIT)).isTrue();
    Instance boundToB = runtime.claim(observed(), "bob", "claim-b").await().atMost(WAIT);

    // the first release's unbind arrives again, late, with its view of alice's binding
    assertThat(runtime.unbind(boundToA).await().atMost(WAIT)).isFalse();

    Pod pod = pod();
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(Labels.STATE, Labels.BOUND)
        .containsEntry(Labels.USER, Labels.userHash("bob"));
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry(Labels.USER_ID, "bob")
        .containsEntry(Labels.CLAIM_ID, "claim-b")
        .containsKey(Labels.BOUND_AT);
    assertThat(pod.getMetadata().getResourceVersion()).isEqualTo(boundToB.version());
  }

  @Test
  void aStaleUnbindOfAnUnboundPodWritesNothing() {
    Instance bound = runtime.claim(observed(), "carol", "claim-c").await().atMost(WAIT);
    assertThat(runtime.unbind(bound).await().atMost(WAIT)).isTrue();
    String version = pod().getMetadata().getResourceVersion();

    assertThat(runtime.unbind(bound).await().atMost(WAIT)).isFalse();
    assertThat(pod().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void anUnbindWhoseViewAHeartbeatOfTheSameBindingOutdatedRetriesOnTheNewVersion() {
    ApiAudit audit = new ApiAudit(mockServer);
    int before = audit.brokerRequests().size();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instance bound = runtime.claim(observed(), "dave", "claim-d").await().atMost(WAIT);
    // another replica's heartbeat of the same binding moves the pod's version
    assertThat(
            runtime
                .heartbeat(bound, now, new Activity(now.minusSeconds(5), now.minusSeconds(5)))
                .await()
                .atMost(WAIT))
        .isTrue();
    assertThat(pod().getMetadata().getResourceVersion()).isNotEqualTo(bound.version());
    assertThat(set(pod().getMetadata().getAnnotations())).containsKey(Labels.ACTIVE_SINCE);

    // the release's view is older than that heartbeat: it reads the pod again and unbinds it
    assertThat(runtime.unbind(bound).await().atMost(WAIT)).isTrue();

    Pod pod = pod();
    assertThat(set(pod.getMetadata().getLabels()))
        .containsEntry(Labels.STATE, Labels.UNBOUND)
        .doesNotContainKey(Labels.USER);
    assertThat(set(pod.getMetadata().getAnnotations()))
        .doesNotContainKeys(
            Labels.USER_ID,
            Labels.CLAIM_ID,
            Labels.BOUND_AT,
            Labels.ACTIVITY_REPORTED,
            Labels.ACTIVE_SINCE);
    assertThat(instances.toInstance(pod, null, Instant.now()).phase())
        .isEqualTo(InstancePhase.WARM);
    // it read the pod from the API server (a get the chart's Role grants), not from its cache
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(audit.brokerRequests().stream().skip(before))
                    .anySatisfy(
                        r -> {
                          assertThat(r.grant()).isEqualTo("/pods get");
                          assertThat(r.name()).isEqualTo(name);
                        }));
    assertThat(audit.denied()).isEmpty();
  }

  @Test
  void aHeartbeatThatArrivesAfterItsBindingEndedRecordsNoFormerUsersActivity() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Activity alices = new Activity(now.minusSeconds(60), now.minusSeconds(60));
    Instance boundToA = runtime.claim(observed(), "alice", "claim-a").await().atMost(WAIT);
    // the leader read alice's status; meanwhile another replica released her instance
    assertThat(runtime.unbind(boundToA).await().atMost(WAIT)).isTrue();

    assertThat(runtime.heartbeat(boundToA, now, alices).await().atMost(WAIT)).isFalse();
    assertThat(set(pod().getMetadata().getAnnotations()))
        .doesNotContainKeys(Labels.ACTIVITY_REPORTED, Labels.ACTIVE_SINCE, Labels.HEARTBEAT);

    // nor on the next user's binding, whose own heartbeat a stale warm heartbeat leaves alone too
    Instance warm = observed();
    Instance boundToB = runtime.claim(warm, "bob", "claim-b").await().atMost(WAIT);
    assertThat(runtime.heartbeat(boundToA, now, alices).await().atMost(WAIT)).isFalse();
    assertThat(set(pod().getMetadata().getAnnotations()))
        .doesNotContainKeys(Labels.ACTIVITY_REPORTED, Labels.ACTIVE_SINCE, Labels.HEARTBEAT);
    Activity bobs = new Activity(now.minusSeconds(1), now);
    assertThat(runtime.heartbeat(boundToB, now, bobs).await().atMost(WAIT)).isTrue();
    assertThat(runtime.heartbeat(warm, now.plusSeconds(30), null).await().atMost(WAIT)).isFalse();

    var annotations = pod().getMetadata().getAnnotations();
    assertThat(annotations)
        .containsEntry(Labels.USER_ID, "bob")
        .containsEntry(Labels.HEARTBEAT, now.toString())
        .containsEntry(Labels.ACTIVITY_REPORTED, bobs.reported().toString())
        .containsEntry(Labels.ACTIVE_SINCE, bobs.since().toString());
  }

  /**
   * The keys with a value: a JSON merge patch's null removes a key on the API server, while the
   * mock server keeps it with a null value.
   */
  private static Map<String, String> set(Map<String, String> map) {
    Map<String, String> set = new java.util.HashMap<>();
    map.forEach(
        (k, v) -> {
          if (v != null) {
            set.put(k, v);
          }
        });
    return set;
  }

  /** The pod as the API server has it now, as an instance. */
  private Instance observed() {
    return instances.toInstance(pod(), null, Instant.now());
  }

  private Pod pod() {
    return operator.pods().inNamespace(NS).withName(name).get();
  }
}
