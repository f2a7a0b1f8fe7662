package dev.engram.orchestrator.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * {@code POST /api/v1/recall} body: memory-service answers the {@code k} memories matching {@code
 * query} (within {@code from}..{@code to}, each may be null) and {@code procedures} procedures for
 * it, from one embedding of the query.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecallRequest(String query, int k, Instant from, Instant to, int procedures) {

  /** memory-service's longest query, in chars (UTF-16 code units, as Java counts them). */
  public static final int MAX_QUERY_CHARS = 2000;
}
