package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.service.binding.Binding;
import java.time.ZoneId;

/**
 * Who a turn runs for: the bound user with the raw bearer token that is propagated to
 * session-service and memory-service, the binding it started under, and the time zone the client
 * said it is in (null: none said; "yesterday" is then a day of the configured zone).
 */
public record Caller(String userId, String bearer, Binding binding, ZoneId zone) {

  public Caller(String userId, String bearer, Binding binding) {
    this(userId, bearer, binding, null);
  }

  /** This caller in {@code zone} (unchanged when it is null). */
  public Caller withZone(ZoneId zone) {
    return zone == null ? this : new Caller(userId, bearer, binding, zone);
  }
}
