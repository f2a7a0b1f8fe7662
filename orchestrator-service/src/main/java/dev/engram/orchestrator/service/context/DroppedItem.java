package dev.engram.orchestrator.service.context;

/**
 * A candidate that did not make it into the context.
 *
 * @param reason {@code budget} or {@code duplicate}
 */
public record DroppedItem(ContextSource source, String key, int tokens, String reason) {}
