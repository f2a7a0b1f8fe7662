package dev.engram.orchestrator.service.binding;

/**
 * Fired (synchronously) whenever this instance is bound to a user or returns to unbound.
 *
 * @param binding the new binding, or {@code null} when the instance became unbound
 */
public record BindingChanged(Binding binding) {}
