package dev.engram.orchestrator.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * {@code POST /api/v1/recall} body: memory-service answers the {@code k} memories matching {@code
 * query} (within {@code from}..{@code to}, each may be null) and {@code procedures} procedures for
 * it, from one embedding of the query. It reinforces what it recalls (retrieval practice) unless
 * {@code reinforce} is false: a preview's recall must change nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecallRequest(
    String query, int k, Instant from, Instant to, int procedures, Boolean reinforce) {

  /** memory-service's longest query, in chars (UTF-16 code units, as Java counts them). */
  public static final int MAX_QUERY_CHARS = 2000;

  /** A turn's recall: what it recalls is reinforced (memory-service's default). */
  public RecallRequest(String query, int k, Instant from, Instant to, int procedures) {
    this(query, k, from, to, procedures, null);
  }
}
