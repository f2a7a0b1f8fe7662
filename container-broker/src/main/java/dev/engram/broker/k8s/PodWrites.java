package dev.engram.broker.k8s;

import dev.engram.broker.pool.Instance;
import dev.engram.broker.runtime.ClaimConflictException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vertx.core.json.JsonObject;
import java.net.HttpURLConnection;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The runtime's patches of pods, each a JSON merge patch locked to the {@code resourceVersion} it
 * was decided on (several broker replicas write the same pods), and recorded in {@link
 * WrittenPods}. Blocking: call on a worker thread.
 */
final class PodWrites {

  /** Attempts of a write that follows its binding ({@link #whileBound}) before it gives up. */
  static final int LOCKED_ATTEMPTS = 4;

  private static final Logger LOG = Logger.getLogger(PodWrites.class);

  private final Function<String, PodResource> pods;
  private final WrittenPods written;

  PodWrites(Function<String, PodResource> pods, WrittenPods written) {
    this.pods = pods;
    this.written = written;
  }

  /**
   * Applies {@code mergePatch} only to the version {@code observed} was read at: a pod that changed
   * since, or is gone, fails with {@link ClaimConflictException} (a claim or a retirement: another
   * claim won).
   */
  Pod locked(Instance observed, JsonObject mergePatch) {
    mergePatch.getJsonObject("metadata").put("resourceVersion", observed.version());
    try {
      return apply(observed.name(), mergePatch);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT
          || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        throw new ClaimConflictException(observed.name());
      }
      throw e;
    }
  }

  /**
   * Applies {@code mergePatch}, a write about the binding {@code observed} shows (an unbind, a
   * heartbeat), locked to the version it was read at. When the pod changed meanwhile (409), it is
   * read again from the API server (the informer's cache may be as old as {@code observed}) and the
   * patch is retried on the new version only while the pod still holds that binding, the same user
   * and claim (or none: still unbound), at most {@value #LOCKED_ATTEMPTS} times in all: a heartbeat
   * of that binding may have moved the version. A pod that no longer holds it (unbound, bound by
   * another claim, retiring, deleted) is left alone: the write was about a binding that no longer
   * exists.
   *
   * @return the patched pod, or empty when the binding was gone
   */
  Optional<Pod> whileBound(Instance observed, JsonObject mergePatch) {
    JsonObject metadata = mergePatch.getJsonObject("metadata");
    PodBinding binding = PodBinding.of(observed);
    String version = observed.version();
    for (int attempt = 1; ; attempt++) {
      metadata.put("resourceVersion", version);
      try {
        return Optional.of(apply(observed.name(), mergePatch));
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return Optional.empty();
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
      Pod current = pods.apply(observed.name()).get();
      if (current == null || !PodBinding.of(current).sameAs(binding)) {
        LOG.debugf("%s no longer holds %s: nothing to write", observed.name(), binding);
        return Optional.empty();
      }
      if (attempt >= LOCKED_ATTEMPTS) {
        throw new ClaimConflictException(observed.name());
      }
      version = current.getMetadata().getResourceVersion();
    }
  }

  private Pod apply(String name, JsonObject mergePatch) {
    Pod patched =
        pods.apply(name).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch.encode());
    written.patched(patched);
    return patched;
  }
}
