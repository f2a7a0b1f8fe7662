package dev.engram.broker.k8s;

import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Objects;

/**
 * The binding a pod holds, as a write about it sees it: a user and the claim that bound them, or
 * none (unbound). A pod retiring or being deleted ({@code gone}) holds none a write could be about.
 *
 * @param gone retiring or being deleted
 * @param userId the bound user, or null
 * @param claimId the claim that bound them, or null
 */
record PodBinding(boolean gone, String userId, String claimId) {

  /** What the pod holds now. */
  static PodBinding of(Pod pod) {
    Map<String, String> labels = orEmpty(pod.getMetadata().getLabels());
    Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
    String state = labels.get(Labels.STATE);
    if (pod.getMetadata().getDeletionTimestamp() != null || Labels.RETIRING.equals(state)) {
      return new PodBinding(true, null, null);
    }
    return Labels.BOUND.equals(state)
        ? new PodBinding(false, annotations.get(Labels.USER_ID), annotations.get(Labels.CLAIM_ID))
        : new PodBinding(false, null, null);
  }

  /** What the pod held when {@code instance} was read off it. */
  static PodBinding of(Instance instance) {
    return new PodBinding(
        instance.phase() == InstancePhase.TERMINATING, instance.userId(), instance.claimId());
  }

  /** Whether a write about {@code observed} still applies to a pod that holds this. */
  boolean sameAs(PodBinding observed) {
    return !gone
        && !observed.gone()
        && Objects.equals(userId, observed.userId())
        && Objects.equals(claimId, observed.claimId());
  }

  @Override
  public String toString() {
    if (gone) {
      return "no binding (on its way out)";
    }
    return userId == null ? "no binding" : "the binding of " + userId + " (claim " + claimId + ")";
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
