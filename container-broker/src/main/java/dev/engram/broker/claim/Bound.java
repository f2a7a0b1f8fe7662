package dev.engram.broker.claim;

import dev.engram.broker.pool.Instance;

/** An instance bound to a user by a claim; {@code warm} false when it was a cold start. */
public record Bound(Instance instance, BindResult bind, boolean warm) {}
