package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.MessageView;

/**
 * A turn's stored answer.
 *
 * @param question the user's message as stored
 * @param message the assistant's message as stored
 * @param firstTokenNanos {@code System.nanoTime()} of the first token
 */
public record Answer(
    MessageView question, MessageView message, String content, int tokens, long firstTokenNanos) {}
