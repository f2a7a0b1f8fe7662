package dev.engram.broker.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.broker.controller.PoolStatus;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.broker.testing.ChartObjects;
import dev.engram.broker.testing.Fake;
import dev.engram.broker.testing.FakeKubelet;
import dev.engram.broker.testing.KubernetesProfile;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pods the broker creates on the mock API server from the pod template the chart renders: what
 * the deployment put in the template stays (secret references, the key volume, resources, image,
 * service account), and the broker's own labels, owner, port and environment are laid over.
 */
@QuarkusTest
@TestProfile(KubernetesProfile.class)
@WithKubernetesTestServer(crud = true, setup = ChartObjects.class)
class OrchestratorPodTemplateTest {

  private static final String NS = KubernetesProfile.NAMESPACE;

  @Inject KubernetesClient client;
  @Inject PodRuntime runtime;
  @Inject PoolStatus status;
  @Inject PodOwner owner;

  /** The fake orchestrator's port, as the broker was configured (it may live in another loader). */
  private static int port() {
    return org.eclipse.microprofile.config.ConfigProvider.getConfig()
        .getValue("engram.broker.kubernetes.port", Integer.class);
  }

  @Test
  void podsStartFromTheChartsTemplateWithTheBrokersOverlay() {
    Fake.trustTestKeys();
    FakeKubelet.shared(client, NS).mode(FakeKubelet.Mode.READY);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status.leader() && runtime.instances().stream().anyMatch(Instance::isWarm));
    Instance warm = runtime.instances().stream().filter(Instance::isWarm).findFirst().orElseThrow();
    Pod pod = client.pods().inNamespace(NS).withName(warm.name()).get();

    assertThat(pod.getMetadata().getLabels())
        .containsEntry(Labels.NAME, "orchestrator-service")
        .containsEntry(Labels.COMPONENT, "orchestrator")
        .containsEntry(Labels.MANAGED_BY, "container-broker")
        .containsEntry(Labels.INSTANCE, "engram")
        .containsEntry(Labels.POOL, "engram")
        .containsEntry("engram.dev/tier", "runtime")
        .containsKey("helm.sh/chart");
    assertThat(pod.getMetadata().getAnnotations())
        .containsKey("checksum/config")
        .containsEntry(Labels.CREATED_BY, "broker-a");
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("ConfigMap");
              assertThat(o.getName()).isEqualTo(ChartObjects.POD_TEMPLATE);
              assertThat(o.getUid()).isEqualTo(owner.uid());
            });

    var spec = pod.getSpec();
    assertThat(spec.getRestartPolicy()).isEqualTo("Never");
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getServiceAccountName()).isEqualTo("engram-orchestrator-service");
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("jwt");
              assertThat(v.getSecret().getSecretName()).isEqualTo("engram-jwt");
            });

    Container container = spec.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("ghcr.io/engram/orchestrator-service:0.1.0");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(container.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/engram/jwt"));
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(port());
            });
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(container.getEnvFrom())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getConfigMapRef().getName()).isEqualTo("engram-orchestrator-service"));
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("QUARKUS_REDIS_PASSWORD");
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("engram-redis");
            })
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("ENGRAM_INSTANCE_NAME");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
            })
        .filteredOn(e -> e.getName().equals("QUARKUS_HTTP_PORT"))
        .extracting(EnvVar::getValue)
        .containsExactly(String.valueOf(port()));
  }
}
