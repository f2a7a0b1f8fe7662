package dev.engram.broker.k8s;

import dev.engram.broker.config.BrokerConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where the pool lives and who this replica is: the namespace of the pods, and the Lease of the
 * leader election with this replica's identity in it. The Lease is the election's lock only (the
 * elector creates it when missing); the pods are owned by {@link PodOwner}.
 */
@ApplicationScoped
public class PoolLease {

  private final KubernetesClient client;
  private final BrokerConfig.Kubernetes config;

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

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "container-broker";
    }
  }
}
