package dev.engram.orchestrator.service.turn;

import java.util.UUID;

/** A completed turn, as {@code POST /api/v1/turns} returns it. */
public record TurnResult(
    UUID turnId,
    UUID sessionId,
    UUID userMessageId,
    UUID messageId,
    String content,
    String provider,
    boolean offline,
    ContextSummary contextSummary,
    long firstTokenMillis,
    long totalMillis) {}
