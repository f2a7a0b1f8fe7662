package dev.engram.memory.model;

import java.time.Instant;

/** A memory with what is stored beside it: the indexed text, the embedding, the forget time. */
public record StoredMemory(Memory memory, String searchText, float[] embedding, Instant forgetAt) {}
