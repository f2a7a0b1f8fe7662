package dev.engram.broker.k8s;

import dev.engram.broker.config.BrokerConfig;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The pool's Lease: the leader election's lock and the owner of every pod, so that deleting it (for
 * example by uninstalling the chart that rendered it) lets Kubernetes collect the pods. Pods owned
 * by another uid belong to a former pool and are orphans. The uid is kept current by an informer on
 * the Lease: one deleted and re-created (by hand, or by an uninstall and install while a broker
 * runs) gives the pods created from then on the new owner, not a uid Kubernetes would collect them
 * for.
 */
@ApplicationScoped
public class PoolLease {

  private static final Logger LOG = Logger.getLogger(PoolLease.class);

  private final KubernetesClient client;
  private final BrokerConfig.Kubernetes config;
  private volatile String uid;
  private SharedIndexInformer<Lease> informer;

  PoolLease(KubernetesClient client, BrokerConfig config) {
    this.client = client;
    this.config = config.kubernetes();
  }

  public String namespace() {
    return config.namespace().orElseGet(client::getNamespace);
  }

  public String name() {
    return config.leaseName();
  }

  /** This replica's identity in the election and on the pods it creates. */
  public String identity() {
    return config
        .identity()
        .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
        .orElseGet(PoolLease::hostName);
  }

  /** The Lease's uid as last resolved, or null (never blocks). */
  public String uid() {
    return uid;
  }

  /**
   * Reads (or creates) the Lease and returns its uid, or null when the API cannot be reached now.
   * Blocking: call it on a worker thread.
   */
  public String resolve() {
    if (uid == null) {
      try {
        uid = ensure().getMetadata().getUid();
      } catch (KubernetesClientException e) {
        return null;
      }
    }
    return uid;
  }

  /**
   * Starts following the Lease (idempotent): its uid as it is created, changed or deleted. Until
   * the informer has seen it, {@link #resolve()} reads it.
   */
  public synchronized void watch(long resyncMillis) {
    if (informer != null) {
      return;
    }
    informer =
        client
            .leases()
            .inNamespace(namespace())
            .withName(name())
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Lease lease) {
                    seen(lease);
                  }

                  @Override
                  public void onUpdate(Lease old, Lease lease) {
                    seen(lease);
                  }

                  @Override
                  public void onDelete(Lease lease, boolean finalStateUnknown) {
                    String gone = lease.getMetadata().getUid();
                    if (gone != null && gone.equals(uid)) {
                      LOG.warnf("The pool's Lease %s (uid %s) was deleted", name(), gone);
                      uid = null;
                    }
                  }
                },
                resyncMillis);
  }

  private void seen(Lease lease) {
    String current = lease.getMetadata().getUid();
    String known = uid;
    if (current != null && !current.equals(known)) {
      if (known != null) {
        LOG.warnf("The pool's Lease %s was re-created: uid %s, was %s", name(), current, known);
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

  /**
   * The owner reference every new pod carries, or null when the Lease cannot be read (blocking).
   */
  public OwnerReference ownerReference() {
    String leaseUid = resolve();
    if (leaseUid == null) {
      return null;
    }
    return new OwnerReferenceBuilder()
        .withApiVersion("coordination.k8s.io/v1")
        .withKind("Lease")
        .withName(name())
        .withUid(leaseUid)
        .withController(true)
        .withBlockOwnerDeletion(false)
        .build();
  }

  private Lease ensure() {
    Lease lease = client.leases().inNamespace(namespace()).withName(name()).get();
    if (lease != null) {
      return lease;
    }
    // An expired, unheld lease: the elector takes it over as if it had created it.
    ZonedDateTime past = ZonedDateTime.now().minusHours(1);
    Lease fresh =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name())
            .withNamespace(namespace())
            .addToLabels(Labels.PART_OF, Labels.APP_PART_OF)
            .addToLabels(Labels.MANAGED_BY, Labels.APP_MANAGED_BY)
            .endMetadata()
            .withNewSpec()
            .withLeaseDurationSeconds(1)
            .withAcquireTime(past)
            .withRenewTime(past)
            .withLeaseTransitions(0)
            .endSpec()
            .build();
    try {
      return client.leases().inNamespace(namespace()).resource(fresh).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return client.leases().inNamespace(namespace()).withName(name()).get();
      }
      throw e;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "container-broker";
    }
  }
}
