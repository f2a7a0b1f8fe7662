package dev.engram.broker.k8s;

import dev.engram.broker.config.BrokerConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The desired pod of one orchestrator instance: the image, its port and probes, requests and
 * limits, a non-root read-only container without a service-account token, the labels of {@link
 * Labels}, owned by the pool's Lease so that deleting the Lease collects every pod.
 */
public final class OrchestratorPodBuilder {

  private final BrokerConfig.Kubernetes config;

  public OrchestratorPodBuilder(BrokerConfig.Kubernetes config) {
    this.config = config;
  }

  public Pod build(String name, OwnerReference owner, String createdBy) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(Labels.forNewPod(config.pool()))
            .addToAnnotations(Labels.CREATED_BY, createdBy)
            .endMetadata();
    if (owner != null) {
      pod.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    return pod.withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withServiceAccountName(config.serviceAccount().orElse(null))
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(30L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(config.runAsUser())
        .withRunAsGroup(config.runAsUser())
        .withFsGroup(config.runAsUser())
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container())
        .addNewVolume()
        .withName(Names.TMP_VOLUME)
        .withNewEmptyDir()
        .withMedium("Memory")
        .withSizeLimit(new Quantity("64Mi"))
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .build();
  }

  private Container container() {
    BrokerConfig.Resources resources = config.resources();
    return new ContainerBuilder()
        .withName(Names.CONTAINER)
        .withImage(config.image())
        .withImagePullPolicy(config.imagePullPolicy())
        .addNewPort()
        .withName("http")
        .withContainerPort(config.port())
        .withProtocol("TCP")
        .endPort()
        .withEnv(env())
        .withEnvFrom(envFrom())
        .withNewResources()
        .addToRequests("cpu", new Quantity(resources.requestsCpu()))
        .addToRequests("memory", new Quantity(resources.requestsMemory()))
        .addToLimits("cpu", new Quantity(resources.limitsCpu()))
        .addToLimits("memory", new Quantity(resources.limitsMemory()))
        .endResources()
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName(Names.TMP_VOLUME)
        .withMountPath("/tmp")
        .endVolumeMount()
        .withStartupProbe(probe("/q/health/started", 1, 60))
        .withReadinessProbe(probe("/q/health/ready", 2, 3))
        .withLivenessProbe(probe("/q/health/live", 10, 3))
        .build();
  }

  private Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withNewPort("http")
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .withTimeoutSeconds(2)
        .build();
  }

  private List<EnvVar> env() {
    List<EnvVar> env = new ArrayList<>();
    env.add(
        new EnvVarBuilder()
            .withName("ENGRAM_INSTANCE_NAME")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .build());
    env.add(new EnvVar("QUARKUS_HTTP_PORT", String.valueOf(config.port()), null));
    for (Map.Entry<String, String> extra : config.env().entrySet()) {
      env.add(new EnvVar(extra.getKey(), extra.getValue(), null));
    }
    return env;
  }

  private List<EnvFromSource> envFrom() {
    List<EnvFromSource> sources = new ArrayList<>();
    config
        .envConfigMap()
        .ifPresent(
            name ->
                sources.add(new EnvFromSourceBuilder().withNewConfigMapRef(name, false).build()));
    config
        .envSecret()
        .ifPresent(
            name -> sources.add(new EnvFromSourceBuilder().withNewSecretRef(name, false).build()));
    return sources;
  }
}
