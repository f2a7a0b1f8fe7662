package dev.engram.orchestrator.service.stm;

/**
 * The working set's rules.
 *
 * @param capacity items held before the least active is evicted
 * @param decay fraction of activation lost per turn
 * @param boost activation gained when rehearsed
 * @param floor activation below which an item is forgotten
 * @param rehearsalOverlap share of an item's terms a message must contain to rehearse it
 */
public record StmPolicy(
    int capacity, double decay, double boost, double floor, double rehearsalOverlap) {

  public StmPolicy {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    if (decay < 0 || decay >= 1) {
      throw new IllegalArgumentException("decay must be in [0, 1)");
    }
  }
}
