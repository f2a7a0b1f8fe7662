package dev.engram.broker.claim;

import java.time.Instant;

/**
 * The user → instance assignment every gateway replica reads from Redis.
 *
 * @param instance the instance's name
 * @param endpoint its base URL
 * @param claimId the claim that made it
 * @param boundAt when it was made
 */
public record Assignment(
    String userId, String instance, String endpoint, String claimId, Instant boundAt) {}
