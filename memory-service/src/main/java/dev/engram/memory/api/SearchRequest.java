package dev.engram.memory.api;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.memory.model.MemoryFilter;
import dev.engram.memory.service.SearchQuery;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A search of the caller's memories.
 *
 * @param k hits wanted, 1..100 (default 10)
 * @param states states searched; default ACTIVE and CONSOLIDATED (plus ARCHIVED with {@code
 *     includeArchived})
 */
public record SearchRequest(
    String query,
    Integer k,
    List<MemoryType> types,
    List<MemoryState> states,
    UUID sessionId,
    Instant from,
    Instant to,
    Boolean includeArchived) {

  static final int MAX_QUERY = 2000;

  SearchQuery validate(String userId) {
    Checks checks = new Checks();
    checks
        .require(query != null && !query.isBlank(), "query", "must not be blank")
        .require(
            query == null || query.length() <= MAX_QUERY,
            "query",
            "must be at most 2000 characters")
        .require(k == null || (k >= 1 && k <= 100), "k", "must be between 1 and 100")
        .require(from == null || to == null || !from.isAfter(to), "from", "must not be after to")
        .require(types == null || !types.contains(null), "types", "must not contain null")
        .require(states == null || !states.contains(null), "states", "must not contain null");
    checks.throwIfAny();
    Set<MemoryState> searched;
    if (states != null && !states.isEmpty()) {
      searched = EnumSet.copyOf(states);
    } else {
      searched = EnumSet.of(MemoryState.ACTIVE, MemoryState.CONSOLIDATED);
      if (Boolean.TRUE.equals(includeArchived)) {
        searched.add(MemoryState.ARCHIVED);
      }
    }
    return new SearchQuery(
        userId,
        query.strip(),
        k == null ? 10 : k,
        new MemoryFilter(types == null ? null : Set.copyOf(types), searched, sessionId, from, to));
  }
}
