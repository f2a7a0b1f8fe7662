package dev.engram.broker.k8s;

import dev.engram.broker.config.BrokerConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The desired pod of one orchestrator instance. The base is the operator's pod template when one is
 * configured ({@link PodTemplate}: secrets, volumes, the key mount, scheduling are theirs), else
 * the built-in pod: the image, requests and limits, probes, a non-root read-only container without
 * a service-account token. Over either base the broker lays what it owns: the name, the labels of
 * {@link Labels} (so the pool's selector, claims and network policies work), its annotation, the
 * owner ({@link PodOwner}: deleting it collects every pod), {@code restartPolicy: Never} (a failed
 * instance is replaced, not restarted with its user's state gone), the HTTP port the broker calls,
 * the instance's name and port in the environment, and the configured extras.
 */
public final class OrchestratorPodBuilder {

  private static final String HTTP = "http";
  private static final Set<String> OWN_ENV = Set.of("ENGRAM_INSTANCE_NAME", "QUARKUS_HTTP_PORT");

  private final BrokerConfig.Kubernetes config;
  private final Optional<PodTemplate> template;

  public OrchestratorPodBuilder(BrokerConfig.Kubernetes config, Optional<PodTemplate> template) {
    this.config = config;
    this.template = template;
  }

  public Pod build(String name, OwnerReference owner, String createdBy) {
    Pod pod = template.map(PodTemplate::newPod).orElseGet(this::builtIn);
    ObjectMeta metadata = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
    metadata.setName(name);
    metadata.setGenerateName(null);
    metadata.setNamespace(null);
    metadata.setResourceVersion(null);
    metadata.setUid(null);
    metadata.setLabels(merged(metadata.getLabels(), Labels.forNewPod(config.pool())));
    metadata.setAnnotations(
        merged(metadata.getAnnotations(), Map.of(Labels.CREATED_BY, createdBy)));
    metadata.setOwnerReferences(owner == null ? null : new ArrayList<>(List.of(owner)));
    pod.setMetadata(metadata);
    pod.setStatus(null);
    PodSpec spec = pod.getSpec();
    spec.setRestartPolicy("Never");
    if (spec.getAutomountServiceAccountToken() == null) {
      spec.setAutomountServiceAccountToken(false);
    }
    if (spec.getServiceAccountName() == null) {
      spec.setServiceAccountName(config.serviceAccount().orElse(null));
    }
    overlay(orchestratorContainer(spec));
    return pod;
  }

  /** The container named {@link Names#CONTAINER}, else the template's first one. */
  private static Container orchestratorContainer(PodSpec spec) {
    return spec.getContainers().stream()
        .filter(c -> Names.CONTAINER.equals(c.getName()))
        .findFirst()
        .orElse(spec.getContainers().get(0));
  }

  private void overlay(Container container) {
    if (container.getImage() == null || container.getImage().isBlank()) {
      container.setImage(config.image());
    }
    if (container.getImagePullPolicy() == null) {
      container.setImagePullPolicy(config.imagePullPolicy());
    }
    List<ContainerPort> ports = new ArrayList<>();
    for (ContainerPort port : Optional.ofNullable(container.getPorts()).orElse(List.of())) {
      if (!HTTP.equals(port.getName()) && port.getContainerPort() != config.port()) {
        ports.add(port);
      }
    }
    ports.add(
        new ContainerPortBuilder()
            .withName(HTTP)
            .withContainerPort(config.port())
            .withProtocol("TCP")
            .build());
    container.setPorts(ports);
    List<EnvVar> own = env();
    Set<String> ownNames = own.stream().map(EnvVar::getName).collect(Collectors.toSet());
    List<EnvVar> env = new ArrayList<>();
    for (EnvVar var : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
      if (!ownNames.contains(var.getName())) {
        env.add(var);
      }
    }
    env.addAll(own);
    container.setEnv(env);
    List<EnvFromSource> envFrom =
        new ArrayList<>(Optional.ofNullable(container.getEnvFrom()).orElse(List.of()));
    envFrom().stream()
        .filter(source -> envFrom.stream().noneMatch(present -> sameSource(present, source)))
        .forEach(envFrom::add);
    container.setEnvFrom(envFrom);
  }

  /** The built-in pod, for when no template is configured. */
  private Pod builtIn() {
    return new PodBuilder()
        .withNewMetadata()
        .endMetadata()
        .withNewSpec()
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
        .withContainers(builtInContainer())
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

  private Container builtInContainer() {
    BrokerConfig.Resources resources = config.resources();
    return new ContainerBuilder()
        .withName(Names.CONTAINER)
        .withImage(config.image())
        .withImagePullPolicy(config.imagePullPolicy())
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
        .withNewPort(HTTP)
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .withTimeoutSeconds(2)
        .build();
  }

  /** The broker's own variables: they replace the template's of the same name. */
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
      if (!OWN_ENV.contains(extra.getKey())) {
        env.add(new EnvVar(extra.getKey(), extra.getValue(), null));
      }
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

  private static boolean sameSource(EnvFromSource a, EnvFromSource b) {
    return a.getConfigMapRef() != null && b.getConfigMapRef() != null
        ? a.getConfigMapRef().getName().equals(b.getConfigMapRef().getName())
        : a.getSecretRef() != null
            && b.getSecretRef() != null
            && a.getSecretRef().getName().equals(b.getSecretRef().getName());
  }

  private static Map<String, String> merged(Map<String, String> base, Map<String, String> own) {
    Map<String, String> all = new LinkedHashMap<>(base == null ? Map.of() : base);
    all.putAll(own);
    return all;
  }
}
