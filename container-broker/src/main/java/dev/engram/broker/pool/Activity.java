package dev.engram.broker.pool;

import java.time.Instant;

/**
 * What the broker last recorded of a bound instance's application activity, kept with the instance
 * (on the pod) so that a restarted broker goes on measuring idleness where it stopped.
 *
 * @param reported the last activity time the instance reported (by its own clock)
 * @param since when, by the broker's clock, that report was first seen: idleness counts from here
 */
public record Activity(Instant reported, Instant since) {}
