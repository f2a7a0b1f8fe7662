package dev.engram.events;

/**
 * {@code pod.released}: the envelope's user was unbound from an instance.
 *
 * @param reason {@code requested}, {@code idle}, {@code max-lifetime} or {@code lost}
 */
public record PodReleased(String podName, String reason) implements EventData {}
