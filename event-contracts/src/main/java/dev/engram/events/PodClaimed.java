package dev.engram.events;

/**
 * {@code pod.claimed}: the envelope's user was bound to an instance.
 *
 * @param warm {@code false} when the pool was empty and the claim fell back to a cold start
 * @param claimMillis from the connect request to a bound instance
 */
public record PodClaimed(String podName, String endpoint, boolean warm, long claimMillis)
    implements EventData {}
