package dev.engram.events;

/** {@code pool.resized}: the warm pool's counts changed. A system event: no user. */
public record PoolResized(
    int warm, int starting, int bound, int failing, int targetWarm, int maxTotal)
    implements EventData {}
