package dev.engram.broker.k8s;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.pool.Activity;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.runtime.PodRuntime;
import dev.engram.broker.runtime.RuntimeListeners;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Orchestrator instances as pods in one namespace. The view is an informer's cache (list + watch,
 * resynced periodically), so a restarted broker rebuilds it from the pods' labels; writes are merge
 * patches, every one locked to the resourceVersion it observed: a claim and a retirement fail on a
 * conflict; an unbind and a heartbeat, which are about one binding, re-read the pod and retry while
 * it holds that binding, and are dropped once it does not.
 */
@ApplicationScoped
@Typed(KubernetesRuntime.class)
public class KubernetesRuntime implements PodRuntime {

  public static final String NAME = "kubernetes";
  private static final Logger LOG = Logger.getLogger(KubernetesRuntime.class);

  private final KubernetesClient client;
  private final BrokerConfig.Kubernetes config;
  private final PoolLease lease;
  private final PodOwner owner;
  private final PodInstances pods;
  private final OrchestratorPodBuilder builder;
  private final RuntimeListeners listeners = new RuntimeListeners();
  private final WrittenPods written = new WrittenPods();
  private final PodWrites writes;
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
  private final Clock clock;
  private volatile SharedIndexInformer<Pod> informer;

  KubernetesRuntime(
      KubernetesClient client, BrokerConfig config, PoolLease lease, PodOwner owner, Clock clock) {
    this.client = client;
    this.config = config.kubernetes();
    this.lease = lease;
    this.owner = owner;
    this.clock = clock;
    this.pods = new PodInstances(config.kubernetes().port(), config.pool().startupTimeout(), clock);
    this.writes = new PodWrites(this::pod, written);
    this.builder =
        new OrchestratorPodBuilder(
            config.kubernetes(),
            PodTemplate.load(
                config.kubernetes().podTemplate(), client.getKubernetesSerialization()));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized void start() {
    if (informer != null) {
      return;
    }
    owner.watch(config.resyncPeriod().toMillis());
    informer =
        client
            .pods()
            .inNamespace(lease.namespace())
            .withLabels(Labels.selector(config.pool()))
            .inform(new Handler(), config.resyncPeriod().toMillis());
    LOG.infof(
        "Watching pods of pool %s in namespace %s (%d known)",
        config.pool(), lease.namespace(), informer.getStore().list().size());
  }

  @Override
  public synchronized void stop() {
    if (informer != null) {
      informer.close();
      informer = null;
    }
  }

  @Override
  public Collection<Instance> instances() {
    SharedIndexInformer<Pod> current = informer;
    if (current == null) {
      return List.of();
    }
    String ownerUid = owner.uid();
    List<Pod> list = written.overlay(current.getStore().list());
    firstSeen.keySet().retainAll(list.stream().map(p -> p.getMetadata().getName()).toList());
    return list.stream().map(p -> pods.toInstance(p, ownerUid, observedSince(p))).toList();
  }

  /** One instance, without mapping the whole pool (the gateway asks on every routed call). */
  @Override
  public Optional<Instance> find(String name) {
    SharedIndexInformer<Pod> current = informer;
    Pod pod = current == null ? null : current.getStore().getByKey(lease.namespace() + "/" + name);
    if (pod == null) {
      return Optional.empty();
    }
    String ownerUid = owner.uid();
    return written.overlay(List.of(pod)).stream()
        .findFirst()
        .map(p -> pods.toInstance(p, ownerUid, observedSince(p)));
  }

  private Instant observedSince(Pod pod) {
    return firstSeen.computeIfAbsent(pod.getMetadata().getName(), n -> clock.instant());
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public Uni<Instance> create() {
    return blocking(
        () -> {
          Pod pod = builder.build(Names.newPod(config.pool()), owner.reference(), lease.identity());
          Pod created = client.pods().inNamespace(lease.namespace()).resource(pod).create();
          return pods.toInstance(created, owner.uid(), observedSince(created));
        });
  }

  @Override
  public Uni<Instance> claim(Instance warm, String userId, String claimId) {
    JsonObject patch =
        new JsonObject()
            .put(
                "metadata",
                new JsonObject()
                    .put(
                        "labels",
                        new JsonObject()
                            .put(Labels.STATE, Labels.BOUND)
                            .put(Labels.USER, Labels.userHash(userId)))
                    .put(
                        "annotations",
                        new JsonObject()
                            .put(Labels.USER_ID, userId)
                            .put(Labels.CLAIM_ID, claimId)
                            .put(Labels.BOUND_AT, clock.instant().toString())
                            // a new binding starts with no activity (none of a former user's)
                            .putNull(Labels.ACTIVITY_REPORTED)
                            .putNull(Labels.ACTIVE_SINCE)));
    return patch(warm, patch);
  }

  /**
   * Ends the binding {@code bound} shows (its user and claim) with a merge patch locked to the
   * version it was observed at, so that it can never wipe a newer binding of the pod (released,
   * then claimed again by another replica meanwhile). See {@link PodWrites#whileBound}: false when
   * that binding was gone already (nothing to undo).
   */
  @Override
  public Uni<Boolean> unbind(Instance bound) {
    JsonObject patch =
        new JsonObject()
            .put(
                "metadata",
                new JsonObject()
                    .put(
                        "labels",
                        new JsonObject().put(Labels.STATE, Labels.UNBOUND).putNull(Labels.USER))
                    .put(
                        "annotations",
                        new JsonObject()
                            .putNull(Labels.USER_ID)
                            .putNull(Labels.CLAIM_ID)
                            .putNull(Labels.BOUND_AT)
                            .putNull(Labels.ACTIVITY_REPORTED)
                            .putNull(Labels.ACTIVE_SINCE)));
    return blocking(() -> writes.whileBound(bound, patch).isPresent());
  }

  @Override
  public Uni<Void> retire(Instance warm) {
    JsonObject patch =
        new JsonObject()
            .put(
                "metadata",
                new JsonObject()
                    .put("labels", new JsonObject().put(Labels.STATE, Labels.RETIRING)));
    return patch(warm, patch).chain(this::delete);
  }

  @Override
  public Uni<Void> delete(Instance instance) {
    return blocking(
        () -> {
          pod(instance.name()).delete();
          written.deleted(instance.name(), instance.version());
          return null;
        });
  }

  /**
   * Locked like {@link #unbind}: a heartbeat is about the binding the instance was observed with
   * (none for a warm one), so one that lands after that binding ended (released by another replica
   * while this one read the instance's status) is dropped instead of writing a former user's
   * activity onto an unbound pod or onto the next user's binding.
   */
  @Override
  public Uni<Boolean> heartbeat(Instance instance, Instant at, Activity activity) {
    JsonObject annotations = new JsonObject().put(Labels.HEARTBEAT, at.toString());
    // null removes the key (JSON merge patch): a warm pod keeps no activity of a former user
    annotations.put(
        Labels.ACTIVITY_REPORTED, activity == null ? null : String.valueOf(activity.reported()));
    annotations.put(Labels.ACTIVE_SINCE, activity == null ? null : activity.since().toString());
    JsonObject patch =
        new JsonObject().put("metadata", new JsonObject().put("annotations", annotations));
    return blocking(() -> writes.whileBound(instance, patch).isPresent());
  }

  private Uni<Instance> patch(Instance instance, JsonObject mergePatch) {
    return blocking(
        () -> {
          Pod patched = writes.locked(instance, mergePatch);
          return pods.toInstance(patched, owner.uid(), observedSince(patched));
        });
  }

  private PodResource pod(String name) {
    return client.pods().inNamespace(lease.namespace()).withName(name);
  }

  private static <T> Uni<T> blocking(Supplier<T> call) {
    return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  /** The view changed: tell the listeners (the controller reconciles, waiting claims look). */
  private final class Handler implements ResourceEventHandler<Pod> {

    @Override
    public void onAdd(Pod pod) {
      listeners.fire();
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {
      listeners.fire();
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      listeners.fire();
    }
  }
}
