package dev.engram.broker.claim;

import java.time.Instant;

/**
 * A user's connection to their instance, as {@code POST /api/v1/connect} reports it.
 *
 * @param instance the instance's name
 * @param state always {@code BOUND}
 * @param warm whether it came from the warm pool (false: a cold start; true also when reused)
 * @param reused whether the user already had it
 * @param restored whether the instance restored the user's short-term memory from a snapshot
 * @param claimMillis how long the claim took
 */
public record Connection(
    String userId,
    String instance,
    String state,
    Instant boundAt,
    boolean warm,
    boolean reused,
    boolean restored,
    long claimMillis) {}
