package dev.engram.memory.index;

import java.util.UUID;

/** A memory id with its cosine similarity to a query. */
public record ScoredId(UUID id, float score) {}
