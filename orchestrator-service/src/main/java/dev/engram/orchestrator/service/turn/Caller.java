package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.service.binding.Binding;

/**
 * Who a turn runs for: the bound user with the raw bearer token that is propagated to
 * session-service and memory-service, and the binding it started under.
 */
public record Caller(String userId, String bearer, Binding binding) {}
