package dev.engram.orchestrator.service.context;

import java.time.Instant;

/**
 * A time window a question refers to.
 *
 * @param from inclusive start
 * @param to exclusive end
 * @param phrase the words that named it, for example {@code last week}
 */
public record TimeRange(Instant from, Instant to, String phrase) {}
