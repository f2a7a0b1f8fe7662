package dev.engram.broker.k8s;

import dev.engram.broker.pool.Activity;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads an {@link Instance} off a pod: its phase from status and labels, its user from both. */
public final class PodInstances {

  private static final Set<String> BROKEN_WAITING_REASONS =
      Set.of(
          "CrashLoopBackOff",
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError");

  private final int port;
  private final Duration startupTimeout;
  private final Clock clock;

  public PodInstances(int port, Duration startupTimeout, Clock clock) {
    this.port = port;
    this.startupTimeout = startupTimeout;
    this.clock = clock;
  }

  /**
   * The instance a pod represents; {@code ownerUid} is the pods' owner's uid (null: unknown or
   * none).
   */
  public Instance toInstance(Pod pod, String ownerUid, Instant observedSince) {
    Map<String, String> labels = orEmpty(pod.getMetadata().getLabels());
    Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
    Instant created = parse(pod.getMetadata().getCreationTimestamp()).orElse(clock.instant());
    Optional<Instant> ready = readySince(pod.getStatus());
    boolean bound = Labels.BOUND.equals(labels.get(Labels.STATE));
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    return new Instance(
        pod.getMetadata().getName(),
        ip == null || ip.isBlank() ? null : "http://" + ip + ":" + port,
        phase(pod, observedSince, ready.isPresent(), bound),
        bound ? annotations.get(Labels.USER_ID) : null,
        bound ? annotations.get(Labels.CLAIM_ID) : null,
        created,
        observedSince,
        ready.orElse(null),
        parse(annotations.get(Labels.BOUND_AT)).orElse(null),
        parse(annotations.get(Labels.HEARTBEAT)).orElse(null),
        activity(annotations),
        ownedBy(pod, ownerUid),
        pod.getMetadata().getResourceVersion());
  }

  /**
   * The recorded activity; its report may be the text "null" (an instance that reported none yet).
   */
  private static Activity activity(Map<String, String> annotations) {
    String reported = annotations.get(Labels.ACTIVITY_REPORTED);
    Optional<Instant> since = parse(annotations.get(Labels.ACTIVE_SINCE));
    if (reported == null || since.isEmpty()) {
      return null;
    }
    return new Activity(parse(reported).orElse(null), since.get());
  }

  private InstancePhase phase(Pod pod, Instant observedSince, boolean ready, boolean bound) {
    if (pod.getMetadata().getDeletionTimestamp() != null
        || Labels.RETIRING.equals(orEmpty(pod.getMetadata().getLabels()).get(Labels.STATE))) {
      return InstancePhase.TERMINATING;
    }
    PodStatus status = pod.getStatus();
    String podPhase = status == null ? null : status.getPhase();
    if ("Failed".equals(podPhase) || "Succeeded".equals(podPhase) || "Unknown".equals(podPhase)) {
      return InstancePhase.FAILING;
    }
    if (status != null && status.getContainerStatuses() != null) {
      for (ContainerStatus container : status.getContainerStatuses()) {
        if (container.getState() != null
            && container.getState().getWaiting() != null
            && BROKEN_WAITING_REASONS.contains(container.getState().getWaiting().getReason())) {
          return InstancePhase.FAILING;
        }
      }
    }
    if (bound) {
      return InstancePhase.BOUND;
    }
    if (ready) {
      return InstancePhase.WARM;
    }
    return clock.instant().isAfter(observedSince.plus(startupTimeout))
        ? InstancePhase.FAILING
        : InstancePhase.STARTING;
  }

  private static Optional<Instant> readySince(PodStatus status) {
    if (status == null || status.getConditions() == null || status.getPodIP() == null) {
      return Optional.empty();
    }
    for (PodCondition condition : status.getConditions()) {
      if ("Ready".equals(condition.getType()) && "True".equals(condition.getStatus())) {
        return Optional.of(parse(condition.getLastTransitionTime()).orElse(Instant.EPOCH));
      }
    }
    return Optional.empty();
  }

  private static boolean ownedBy(Pod pod, String ownerUid) {
    if (ownerUid == null) {
      return true; // unknown yet: never call a pod an orphan for want of knowledge
    }
    return pod.getMetadata().getOwnerReferences() != null
        && pod.getMetadata().getOwnerReferences().stream()
            .anyMatch(ref -> ownerUid.equals(ref.getUid()));
  }

  static Optional<Instant> parse(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(timestamp));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
