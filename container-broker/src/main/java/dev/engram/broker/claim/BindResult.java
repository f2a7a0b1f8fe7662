package dev.engram.broker.claim;

import java.time.Instant;

/** What an instance answers to {@code POST /internal/v1/bind}. */
public record BindResult(String userId, Instant boundAt, boolean restored) {}
