package dev.engram.broker.pool;

import java.time.Instant;
import java.util.Optional;

/**
 * One orchestrator instance as a runtime reports it: a pod or a local process.
 *
 * @param name unique name (the pod's name)
 * @param endpoint base URL of its HTTP server, for example {@code http://10.0.0.7:8080}; null until
 *     it has an address
 * @param phase where it is in its life
 * @param userId the bound user, or null
 * @param claimId the claim that bound it, or null
 * @param createdAt when it was created (by the source of truth's clock: its real age)
 * @param observedSince when this broker first saw it (by the broker's clock: start-up and orphan
 *     grace periods count from here, so a restarted broker never judges what it has not watched)
 * @param readyAt when it first became ready, or null
 * @param boundAt when it was bound, or null
 * @param heartbeatAt the broker's last positive observation, or null
 * @param activity the activity the broker last recorded of it while bound, or null
 * @param ownedByUs whether its owner is this broker's pool (false for orphans of a former owner)
 * @param version opaque optimistic-concurrency token (a pod's resourceVersion)
 */
public record Instance(
    String name,
    String endpoint,
    InstancePhase phase,
    String userId,
    String claimId,
    Instant createdAt,
    Instant observedSince,
    Instant readyAt,
    Instant boundAt,
    Instant heartbeatAt,
    Activity activity,
    boolean ownedByUs,
    String version) {

  public boolean isWarm() {
    return phase == InstancePhase.WARM;
  }

  public boolean isBoundTo(String user) {
    return phase == InstancePhase.BOUND && user.equals(userId);
  }

  /** When the instance was last known to be healthy: its heartbeat, else when it became ready. */
  public Optional<Instant> lastSeenHealthy() {
    return Optional.ofNullable(heartbeatAt != null ? heartbeatAt : readyAt);
  }
}
