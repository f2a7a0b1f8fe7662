package dev.engram.broker.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.testing.ChartPodTemplate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The desired pod: the built-in one, and the operator's template with the broker's overlay. */
class OrchestratorPodBuilderTest {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void withoutATemplateThePodIsTheHardenedBuiltInOne() {
    Pod pod = builder(Map.of(), Optional.empty()).build("p-1", owner(), "broker-a");

    assertThat(pod.getMetadata().getName()).isEqualTo("p-1");
    assertThat(pod.getMetadata().getLabels()).isEqualTo(Labels.forNewPod("engram"));
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(185L);
    Container container = pod.getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo(Names.CONTAINER);
    assertThat(container.getImage()).isEqualTo("engram/orchestrator-service:latest");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
  }

  @Test
  void theChartsTemplateKeepsItsSettingsUnderTheBrokersOverlay() {
    PodTemplate template = PodTemplate.of(ChartPodTemplate.manifest(), YAML);
    Map<String, String> config = new HashMap<>();
    config.put("engram.broker.kubernetes.port", "9000");
    config.put("engram.broker.kubernetes.env.QUARKUS_LOG_LEVEL", "DEBUG");
    config.put("engram.broker.kubernetes.env-config-map", "engram-orchestrator-service");
    config.put("engram.broker.kubernetes.env-secret", "extra");
    OrchestratorPodBuilder builder = builder(config, Optional.of(template));

    Pod first = builder.build("p-1", owner(), "broker-a");
    Pod second = builder.build("p-2", owner(), "broker-a");

    assertThat(first.getMetadata().getNamespace()).isNull();
    assertThat(first.getMetadata().getLabels())
        .containsEntry(Labels.MANAGED_BY, "container-broker")
        .containsEntry(Labels.STATE, Labels.UNBOUND)
        .containsEntry("engram.dev/tier", "runtime");
    assertThat(second.getMetadata().getName()).isEqualTo("p-2");
    assertThat(first.getSpec().getRestartPolicy()).isEqualTo("Never");
    Container container = first.getSpec().getContainers().get(0);
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9000));
    assertThat(container.getEnv())
        .extracting(e -> e.getName())
        .containsOnlyOnce("QUARKUS_REDIS_PASSWORD", "ENGRAM_INSTANCE_NAME", "QUARKUS_HTTP_PORT")
        .contains("QUARKUS_LOG_LEVEL");
    assertThat(container.getEnvFrom()).hasSize(2);
    assertThat(container.getResources().getRequests().get("cpu").toString()).isEqualTo("100m");
    assertThat(second.getSpec().getContainers().get(0).getEnv()).hasSameSizeAs(container.getEnv());
  }

  @Test
  void aTemplateThatIsNotAPodStopsTheBroker() throws Exception {
    Path broken = Files.createTempFile("broken", ".yaml");
    Files.writeString(broken, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n");
    assertThatThrownBy(() -> PodTemplate.load(Optional.of(broken.toString()), YAML))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("spec.containers");
    assertThatThrownBy(() -> PodTemplate.load(Optional.of("/nonexistent/pod.yaml"), YAML))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/nonexistent/pod.yaml");
    assertThat(PodTemplate.load(Optional.empty(), YAML)).isEmpty();
  }

  private static OrchestratorPodBuilder builder(
      Map<String, String> values, Optional<PodTemplate> template) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(BrokerConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .withDefaultValues(values)
            .build();
    return new OrchestratorPodBuilder(
        config.getConfigMapping(BrokerConfig.class).kubernetes(), template);
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference owner() {
    return new OwnerReferenceBuilder()
        .withApiVersion("coordination.k8s.io/v1")
        .withKind("Lease")
        .withName("engram-broker")
        .withUid("uid-1")
        .build();
  }
}
