package dev.engram.broker.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The operator's pod manifest (YAML or JSON, {@code kind: Pod}) that every orchestrator pod starts
 * from: the Helm chart renders one and mounts it at {@code
 * /etc/engram/broker/orchestrator-pod.yaml} ({@code engram.broker.kubernetes.pod-template}). It is
 * read and checked once, at start-up, so a broken template stops the broker instead of failing
 * every refill; each pod is a fresh copy.
 */
public final class PodTemplate {

  private final String manifest;
  private final KubernetesSerialization serialization;

  private PodTemplate(String manifest, KubernetesSerialization serialization) {
    this.manifest = manifest;
    this.serialization = serialization;
    Pod pod = newPod();
    if (pod == null
        || pod.getSpec() == null
        || pod.getSpec().getContainers() == null
        || pod.getSpec().getContainers().isEmpty()) {
      throw new IllegalStateException("The pod template has no spec.containers");
    }
  }

  /** The template at {@code path}, or empty when none is configured. */
  public static Optional<PodTemplate> load(
      Optional<String> path, KubernetesSerialization serialization) {
    if (path.isEmpty() || path.get().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new PodTemplate(Files.readString(Path.of(path.get())), serialization));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "Cannot use the pod template " + path.get() + ": " + e.getMessage(), e);
    }
  }

  /** A pod template from the manifest's text. */
  public static PodTemplate of(String manifest, KubernetesSerialization serialization) {
    return new PodTemplate(manifest, serialization);
  }

  /** A new, independent copy of the template's pod. */
  public Pod newPod() {
    return serialization.unmarshal(manifest, Pod.class);
  }
}
