package dev.engram.memory.service;

import dev.engram.memory.model.MemoryFilter;

/** A validated search: the caller, the query text, how many hits, and the filter. */
public record SearchQuery(String userId, String query, int k, MemoryFilter filter) {}
