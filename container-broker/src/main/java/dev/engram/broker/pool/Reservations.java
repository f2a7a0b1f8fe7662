package dev.engram.broker.pool;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instances a claim in this replica is working on: other claims skip them (fewer conflicts) and the
 * controller never culls them as surplus. Other replicas are kept off by optimistic concurrency.
 */
@ApplicationScoped
public class Reservations {

  private final Set<String> reserved = ConcurrentHashMap.newKeySet();

  /** Reserves an instance; false when another claim already has it. */
  public boolean reserve(String instance) {
    return reserved.add(instance);
  }

  public void release(String instance) {
    reserved.remove(instance);
  }

  public boolean isReserved(String instance) {
    return reserved.contains(instance);
  }
}
