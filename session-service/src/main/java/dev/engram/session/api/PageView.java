package dev.engram.session.api;

import java.util.List;

/**
 * One page of a listing. {@code nextCursor} is null on the last page; otherwise pass it as {@code
 * cursor} to get the next one.
 */
public record PageView<T>(List<T> items, String nextCursor) {}
