package dev.engram.broker.controller;

import dev.engram.broker.config.BrokerConfig;
import dev.engram.broker.k8s.KubernetesRuntime;
import dev.engram.broker.k8s.LeaderElection;
import dev.engram.broker.k8s.PoolLease;
import dev.engram.broker.runtime.PodRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * Starts the runtime's view and decides who runs the pool controller: on Kubernetes the replica
 * that holds the pool's Lease; with local processes this broker (it owns its children).
 */
@ApplicationScoped
public class Leadership {

  private final PodRuntime runtime;
  private final PoolController controller;
  private final BrokerConfig config;
  private final Instance<KubernetesClient> client;
  private final Instance<PoolLease> lease;
  private LeaderElection election;

  Leadership(
      PodRuntime runtime,
      PoolController controller,
      BrokerConfig config,
      Instance<KubernetesClient> client,
      Instance<PoolLease> lease) {
    this.runtime = runtime;
    this.controller = controller;
    this.config = config;
    this.client = client;
    this.lease = lease;
  }

  void onStart(@Observes StartupEvent event) {
    runtime.start();
    if (KubernetesRuntime.NAME.equals(runtime.name())) {
      BrokerConfig.Kubernetes k8s = config.kubernetes();
      PoolLease poolLease = lease.get();
      election =
          new LeaderElection(
              client.get(),
              poolLease.namespace(),
              poolLease.name(),
              poolLease.identity(),
              new LeaderElection.Timing(
                  k8s.leaseDuration(), k8s.renewDeadline(), k8s.retryPeriod()),
              controller::startLeading,
              controller::stopLeading);
      election.start();
    } else {
      controller.startLeading();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stand(false);
    controller.stopLeading();
    runtime.stop();
  }

  /** Stands for (or withdraws from) leadership; a withdrawing leader hands the Lease over. */
  public synchronized void stand(boolean candidate) {
    if (election == null) {
      return;
    }
    if (candidate) {
      election.start();
    } else {
      election.stop();
    }
  }

  /** This replica's identity in the election (the host name when not on Kubernetes). */
  public String identity() {
    return election != null ? election.identity() : "local";
  }
}
