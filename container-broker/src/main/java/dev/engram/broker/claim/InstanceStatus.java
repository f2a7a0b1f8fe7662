package dev.engram.broker.claim;

import java.time.Instant;

/**
 * What an instance reports on {@code GET /internal/v1/status}.
 *
 * @param state {@code UNBOUND} or {@code BOUND}
 * @param lastActivityAt the last application activity (a turn, a message), used for idle culling
 */
public record InstanceStatus(
    String state,
    String userId,
    Instant boundAt,
    Instant lastActivityAt,
    Instant startedAt,
    String instance) {

  public boolean boundTo(String user) {
    return "BOUND".equals(state) && user.equals(userId);
  }
}
