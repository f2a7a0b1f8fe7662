package dev.engram.orchestrator.service.hooks;

import dev.engram.orchestrator.service.context.AssembledContext;

/**
 * The extension point for deployments: a CDI bean implementing this interface (any scope, usually
 * {@code @ApplicationScoped}) is discovered at start and called on every turn, in ascending {@link
 * #priority()}. Each method returns what the next hook (and then the orchestrator) uses; return the
 * argument unchanged to only observe.
 *
 * <p>Hooks run on the turn's thread, which may be an event loop: do not block in them. A hook that
 * throws is logged and skipped for that call; the turn goes on with the unamended value.
 *
 * <p>A hook that keeps anything of the user beyond one turn must forget it when the user is
 * released: observe {@link dev.engram.orchestrator.service.binding.BindingChanged}, and write only
 * for the current binding ({@link dev.engram.orchestrator.service.binding.BindingCache}; see the
 * module README), as every per-user cache of the instance does.
 */
public interface TurnHook {

  /** Called before the user's message is stored; may amend its content and metadata. */
  default IncomingMessage onMessageReceived(TurnInfo turn, IncomingMessage message) {
    return message;
  }

  /** Called when the context is assembled, before the provider is asked; may amend it. */
  default AssembledContext onContextBuilt(TurnInfo turn, AssembledContext context) {
    return context;
  }

  /** Called with the whole answer before it is stored; may amend it. */
  default GeneratedResponse onResponseGenerated(
      TurnInfo turn, AssembledContext context, GeneratedResponse response) {
    return response;
  }

  /** Order among hooks, lowest first. */
  default int priority() {
    return 100;
  }
}
