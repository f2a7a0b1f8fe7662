package dev.engram.broker.k8s;

import dev.engram.broker.config.BrokerConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The owner of every pod: the ConfigMap named by {@code engram.broker.kubernetes.owner-config-map}
 * (the chart's orchestrator pod template), so that deleting it, as {@code helm uninstall} or {@code
 * kubectl delete -f k8s/engram.yaml} does, lets Kubernetes' garbage collector delete the pods. The
 * owner's uid is followed by an informer on that one ConfigMap (list and watch with a {@code
 * metadata.name} field selector, which a Role restricted by {@code resourceNames} allows): pods of
 * an earlier uid (the ConfigMap was deleted and re-created) are orphans, and the pods created from
 * then on are owned by the new one. While the owner is configured but unknown (deleted, or not
 * readable), no pod is created: an unowned pod would outlive the release. Without the key pods have
 * no owner.
 */
@ApplicationScoped
public class PodOwner {

  private static final Logger LOG = Logger.getLogger(PodOwner.class);

  private final KubernetesClient client;
  private final PoolLease lease;
  private final Optional<String> name;
  private volatile String uid;
  private SharedIndexInformer<ConfigMap> informer;

  PodOwner(KubernetesClient client, PoolLease lease, BrokerConfig config) {
    this.client = client;
    this.lease = lease;
    this.name = config.kubernetes().ownerConfigMap().filter(n -> !n.isBlank());
  }

  /** The owner's uid as last seen, or null (none configured, or not known now); never blocks. */
  public String uid() {
    return uid;
  }

  /** Starts following the owner (idempotent; nothing without one). Blocking: a worker thread. */
  public synchronized void watch(long resyncMillis) {
    if (name.isEmpty() || informer != null) {
      return;
    }
    informer =
        client
            .configMaps()
            .inNamespace(lease.namespace())
            .withName(name.get())
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap owner) {
                    seen(owner.getMetadata().getUid());
                  }

                  @Override
                  public void onUpdate(ConfigMap old, ConfigMap owner) {
                    seen(owner.getMetadata().getUid());
                  }

                  @Override
                  public void onDelete(ConfigMap owner, boolean finalStateUnknown) {
                    String gone = owner.getMetadata().getUid();
                    if (gone != null && gone.equals(uid)) {
                      LOG.warnf(
                          "The pods' owner, ConfigMap %s (uid %s), was deleted: no pod is created"
                              + " until it is back",
                          name.get(), gone);
                      uid = null;
                    }
                  }
                },
                resyncMillis);
  }

  /**
   * The owner reference of a new pod: null without a configured owner; reads the owner when the
   * informer has not seen it yet (blocking). Throws when the owner is configured but cannot be
   * read, so that no unowned pod is created.
   */
  public OwnerReference reference() {
    if (name.isEmpty()) {
      return null;
    }
    String current = uid != null ? uid : read();
    return new OwnerReferenceBuilder()
        .withApiVersion("v1")
        .withKind("ConfigMap")
        .withName(name.get())
        .withUid(current)
        .withBlockOwnerDeletion(false)
        .build();
  }

  private String read() {
    ConfigMap owner;
    try {
      owner = client.configMaps().inNamespace(lease.namespace()).withName(name.get()).get();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException(
          "Cannot read the pods' owner, ConfigMap " + name.get() + ": " + e.getMessage(), e);
    }
    if (owner == null) {
      throw new IllegalStateException(
          "The pods' owner, ConfigMap "
              + name.get()
              + " in namespace "
              + lease.namespace()
              + ", does not exist: no pod is created without it");
    }
    seen(owner.getMetadata().getUid());
    return owner.getMetadata().getUid();
  }

  private void seen(String current) {
    String known = uid;
    if (current != null && !current.equals(known)) {
      if (known != null) {
        LOG.warnf(
            "The pods' owner, ConfigMap %s, was re-created: uid %s, was %s (its pods are orphans)",
            name.get(), current, known);
      }
      uid = current;
    }
  }

  @PreDestroy
  synchronized void stopWatching() {
    if (informer != null) {
      informer.close();
      informer = null;
    }
  }
}
