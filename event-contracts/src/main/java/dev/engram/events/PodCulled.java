package dev.engram.events;

/** {@code pod.culled}: an instance was deleted. */
public record PodCulled(String podName, CullReason reason) implements EventData {}
