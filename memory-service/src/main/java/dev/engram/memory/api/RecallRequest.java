package dev.engram.memory.api;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.memory.model.MemoryFilter;
import dev.engram.memory.service.SearchQuery;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What to recall for a message: the memories matching {@code query} (as a search of ACTIVE and
 * CONSOLIDATED memories of every type, within {@code from}..{@code to} of the time they refer to)
 * and the procedures for it.
 *
 * @param k memory hits wanted, 1..100 (default 10)
 * @param procedures procedures wanted, 0..20 (default 0: none, and no procedure search)
 * @param reinforce whether what is recalled is reinforced as a search's hits are (default true);
 *     {@code false} recalls without changing anything (a preview of a turn's context)
 */
public record RecallRequest(
    String query,
    Integer k,
    Instant from,
    Instant to,
    Integer procedures,
    @Schema(
            description =
                "Whether the memories and procedures recalled are reinforced (retrieval practice),"
                    + " as a search's hits are; false recalls without changing anything",
            defaultValue = "true")
        Boolean reinforce) {

  static final int MAX_PROCEDURES = 20;

  private static final Set<MemoryState> RECALLED =
      Set.of(MemoryState.ACTIVE, MemoryState.CONSOLIDATED);

  /** The validated memory search (400 problem+json listing every bad field otherwise). */
  SearchQuery memories(String userId) {
    new Checks()
        .require(query != null && !query.isBlank(), "query", "must not be blank")
        .require(
            query == null || query.length() <= SearchRequest.MAX_QUERY,
            "query",
            "must be at most 2000 characters")
        .require(k == null || (k >= 1 && k <= 100), "k", "must be between 1 and 100")
        .require(from == null || to == null || !from.isAfter(to), "from", "must not be after to")
        .require(
            procedures == null || (procedures >= 0 && procedures <= MAX_PROCEDURES),
            "procedures",
            "must be between 0 and 20")
        .throwIfAny();
    return new SearchQuery(
        userId,
        query.strip(),
        k == null ? 10 : k,
        new MemoryFilter(null, RECALLED, null, from, to),
        !Boolean.FALSE.equals(reinforce));
  }

  /** The procedure search for the same text (any time), or null when none are wanted. */
  SearchQuery procedures(SearchQuery memories) {
    if (procedures == null || procedures == 0) {
      return null;
    }
    return new SearchQuery(
        memories.userId(),
        memories.query(),
        procedures,
        new MemoryFilter(Set.of(MemoryType.PROCEDURAL), RECALLED, null, null, null),
        memories.reinforce());
  }
}
