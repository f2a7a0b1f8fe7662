package dev.engram.broker.pool;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Instances this replica is creating or has created but does not see in its view yet (an informer
 * lags behind the API server). The refill and the cold starts of claims both count them against the
 * maximum, so neither overshoots it, alone or together.
 */
@ApplicationScoped
public class Creations {

  /** How long a created instance the view has not shown still counts. */
  static final long UNSEEN_GRACE_NANOS = 30_000_000_000L;

  private final Map<String, Long> unseen = new ConcurrentHashMap<>();
  private final LongSupplier nanos;
  private int inFlight;

  public Creations() {
    this(System::nanoTime);
  }

  Creations(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /** Instances counted beside {@code view}: being created, or created and not seen yet. */
  public synchronized int pending(Collection<Instance> view) {
    forgetSeen(view);
    return unseen.size() + inFlight;
  }

  /**
   * Takes room for one more instance if the live ones of {@code view} and the pending ones leave
   * room under {@code max}; then exactly one of {@link #created} or {@link #failed} must follow.
   */
  public synchronized boolean begin(Collection<Instance> view, int max) {
    forgetSeen(view);
    if (PoolCounts.of(view).live() + unseen.size() + inFlight >= max) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** The creation begun succeeded: the instance counts until the view shows it. */
  public synchronized void created(String name) {
    inFlight = Math.max(0, inFlight - 1);
    unseen.put(name, nanos.getAsLong());
  }

  /** The creation begun failed: its room is free again. */
  public synchronized void failed() {
    inFlight = Math.max(0, inFlight - 1);
  }

  private void forgetSeen(Collection<Instance> view) {
    Set<String> visible = view.stream().map(Instance::name).collect(Collectors.toSet());
    long now = nanos.getAsLong();
    unseen
        .entrySet()
        .removeIf(e -> visible.contains(e.getKey()) || now - e.getValue() > UNSEEN_GRACE_NANOS);
  }
}
