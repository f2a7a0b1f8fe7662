package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.MessageView;

/**
 * A turn's stored answer.
 *
 * @param firstTokenNanos {@code System.nanoTime()} of the first token
 */
public record Answer(MessageView message, String content, int tokens, long firstTokenNanos) {}
