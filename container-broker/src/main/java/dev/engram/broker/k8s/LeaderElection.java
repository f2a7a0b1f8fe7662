package dev.engram.broker.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One candidate in the election for the pool's Lease (Fabric8's LeaderElector). A candidate that
 * loses leadership stands again until it is stopped; stopping a leader releases the Lease so that
 * another replica takes over without waiting for it to expire.
 */
public final class LeaderElection {

  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

  /** Timing of the election. */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String leaseName;
  private final String identity;
  private final Timing timing;
  private final Runnable onStartLeading;
  private final Runnable onStopLeading;
  private volatile boolean leader;
  private volatile boolean stopped = true;
  private CompletableFuture<?> running;

  public LeaderElection(
      KubernetesClient client,
      String namespace,
      String leaseName,
      String identity,
      Timing timing,
      Runnable onStartLeading,
      Runnable onStopLeading) {
    this.client = client;
    this.namespace = namespace;
    this.leaseName = leaseName;
    this.identity = identity;
    this.timing = timing;
    this.onStartLeading = onStartLeading;
    this.onStopLeading = onStopLeading;
  }

  public String identity() {
    return identity;
  }

  public boolean isLeader() {
    return leader;
  }

  /** Stands as a candidate (and again whenever leadership is lost) until {@link #stop()}. */
  public synchronized void start() {
    stopped = false;
    stand();
  }

  /** Withdraws: a leader releases the Lease and stops leading. */
  public synchronized void stop() {
    stopped = true;
    if (running != null) {
      running.cancel(true);
      running = null;
    }
    lost();
  }

  private synchronized void stand() {
    if (stopped) {
      return;
    }
    running =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(leaseName)
                    .withLock(new LeaseLock(namespace, leaseName, identity))
                    .withLeaseDuration(timing.leaseDuration())
                    .withRenewDeadline(timing.renewDeadline())
                    .withRetryPeriod(timing.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(this::started, this::lost, this::observed))
                    .build())
            .build()
            .start();
    running.whenComplete((ignored, failure) -> stand());
  }

  private void started() {
    LOG.infof("%s leads pool lease %s/%s", identity, namespace, leaseName);
    leader = true;
    onStartLeading.run();
  }

  private void lost() {
    if (leader) {
      LOG.infof("%s no longer leads pool lease %s/%s", identity, namespace, leaseName);
      leader = false;
      onStopLeading.run();
    }
  }

  private void observed(String newLeader) {
    LOG.debugf("Pool lease %s/%s is held by %s", namespace, leaseName, newLeader);
  }
}
