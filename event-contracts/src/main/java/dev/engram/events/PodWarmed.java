package dev.engram.events;

/**
 * {@code pod.warmed}: an unbound orchestrator instance became ready in the warm pool.
 *
 * @param runtime {@code kubernetes} or {@code local-process}
 * @param startupMillis from creation to ready
 */
public record PodWarmed(String podName, String endpoint, String runtime, long startupMillis)
    implements EventData {}
