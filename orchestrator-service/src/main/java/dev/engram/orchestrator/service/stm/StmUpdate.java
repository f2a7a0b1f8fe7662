package dev.engram.orchestrator.service.stm;

import java.util.List;
import java.util.UUID;

/**
 * What one turn did to the working set.
 *
 * @param turn the turn number after the update
 * @param added keys that entered
 * @param rehearsed keys that were mentioned or recalled again
 * @param evicted keys that were forgotten (capacity or faded below the floor)
 * @param reinforce long-term memories that were rehearsed, to report to memory-service
 * @param items the working set after the update, most active first
 */
public record StmUpdate(
    long turn,
    List<String> added,
    List<String> rehearsed,
    List<String> evicted,
    List<UUID> reinforce,
    List<WorkingItem> items) {}
