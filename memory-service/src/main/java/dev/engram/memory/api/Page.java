package dev.engram.memory.api;

import java.util.List;

/** One page of a list; pass {@code nextCursor} as {@code cursor} for the next (null: the end). */
public record Page<T>(List<T> items, String nextCursor) {}
