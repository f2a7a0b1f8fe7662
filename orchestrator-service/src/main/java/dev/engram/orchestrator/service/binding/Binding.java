package dev.engram.orchestrator.service.binding;

import java.time.Instant;

/**
 * This instance's current user.
 *
 * @param claimId the broker's claim that bound it
 * @param epoch a random tag of this binding; WebSocket event ids carry it, so a client resuming
 *     with an id from an earlier binding (or another instance) is told to resync
 */
public record Binding(String userId, String claimId, Instant boundAt, String epoch) {}
