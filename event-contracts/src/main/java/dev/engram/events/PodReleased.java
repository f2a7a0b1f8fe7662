package dev.engram.events;

/**
 * {@code pod.released}: the envelope's user was unbound from an instance.
 *
 * @param reason {@code requested}, {@code idle}, {@code max-lifetime}, {@code lost} or {@code
 *     erased} (the user was erased: the instance forgot them without a snapshot)
 */
public record PodReleased(String podName, String reason) implements EventData {}
