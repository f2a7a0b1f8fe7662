package dev.engram.broker.local;

import dev.engram.broker.pool.Activity;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import java.time.Instant;
import java.util.Objects;

/** A child process running one orchestrator instance; its state guarded by its own lock. */
final class LocalInstance {

  private final String name;
  private final String endpoint;
  private final int port;
  private final Instant createdAt;
  private Process process;
  private InstancePhase phase = InstancePhase.STARTING;
  private String userId;
  private String claimId;
  private Instant readyAt;
  private Instant boundAt;
  private Instant heartbeatAt;
  private Activity activity;
  private long version;

  LocalInstance(String name, String host, int port, Instant createdAt) {
    this.name = name;
    this.endpoint = "http://" + host + ":" + port;
    this.port = port;
    this.createdAt = createdAt;
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  synchronized void attach(Process process) {
    this.process = process;
  }

  synchronized Process process() {
    return process;
  }

  synchronized Instance snapshot() {
    return new Instance(
        name,
        endpoint,
        phase,
        userId,
        claimId,
        createdAt,
        createdAt,
        readyAt,
        boundAt,
        heartbeatAt,
        activity,
        true,
        Long.toString(version));
  }

  synchronized boolean ready(Instant at) {
    if (phase != InstancePhase.STARTING) {
      return false;
    }
    phase = InstancePhase.WARM;
    readyAt = at;
    version++;
    return true;
  }

  /** Moves to FAILING unless already on the way out; whether it changed. */
  synchronized boolean fail() {
    if (phase == InstancePhase.TERMINATING || phase == InstancePhase.FAILING) {
      return false;
    }
    phase = InstancePhase.FAILING;
    version++;
    return true;
  }

  synchronized boolean claim(String expectedVersion, String user, String claim, Instant at) {
    if (phase != InstancePhase.WARM || !Long.toString(version).equals(expectedVersion)) {
      return false;
    }
    phase = InstancePhase.BOUND;
    userId = user;
    claimId = claim;
    boundAt = at;
    version++;
    return true;
  }

  /** Ends the binding of claim {@code claim}; false when the instance does not hold it. */
  synchronized boolean unbind(String claim) {
    if (phase != InstancePhase.BOUND || !Objects.equals(claimId, claim)) {
      return false;
    }
    phase = InstancePhase.WARM;
    userId = null;
    claimId = null;
    boundAt = null;
    activity = null;
    version++;
    return true;
  }

  /** Moves a warm, unchanged instance to TERMINATING; whether it did. */
  synchronized boolean retire(String expectedVersion) {
    if (phase != InstancePhase.WARM || !Long.toString(version).equals(expectedVersion)) {
      return false;
    }
    terminate();
    return true;
  }

  synchronized void terminate() {
    phase = InstancePhase.TERMINATING;
    version++;
  }

  /**
   * Records a heartbeat of the binding of {@code claim} (null: none); dropped (false) once that
   * binding ended.
   */
  synchronized boolean heartbeat(Instant at, Activity activity, String claim) {
    if (!Objects.equals(claimId, claim)) {
      return false;
    }
    heartbeatAt = at;
    this.activity = activity;
    return true;
  }
}
