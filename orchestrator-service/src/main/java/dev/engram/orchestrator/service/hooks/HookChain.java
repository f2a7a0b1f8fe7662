package dev.engram.orchestrator.service.hooks;

import dev.engram.orchestrator.service.context.AssembledContext;
import io.quarkus.arc.ClientProxy;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/** Calls every {@link TurnHook} bean in order, isolating the turn from a failing hook. */
@ApplicationScoped
public class HookChain {

  private final List<TurnHook> hooks;

  public HookChain(@Any Instance<TurnHook> discovered) {
    this.hooks = discovered.stream().sorted(Comparator.comparingInt(TurnHook::priority)).toList();
    hooks.forEach(
        hook -> Log.infof("turn hook: %s", ClientProxy.unwrap(hook).getClass().getName()));
  }

  /** The hooks in call order. */
  public List<TurnHook> hooks() {
    return hooks;
  }

  public IncomingMessage messageReceived(TurnInfo turn, IncomingMessage message) {
    return apply(message, hook -> m -> hook.onMessageReceived(turn, m), "onMessageReceived");
  }

  public AssembledContext contextBuilt(TurnInfo turn, AssembledContext context) {
    return apply(context, hook -> c -> hook.onContextBuilt(turn, c), "onContextBuilt");
  }

  public GeneratedResponse responseGenerated(
      TurnInfo turn, AssembledContext context, GeneratedResponse response) {
    return apply(
        response, hook -> r -> hook.onResponseGenerated(turn, context, r), "onResponseGenerated");
  }

  private <T> T apply(
      T value, java.util.function.Function<TurnHook, UnaryOperator<T>> call, String what) {
    T current = value;
    for (TurnHook hook : hooks) {
      try {
        T next = call.apply(hook).apply(current);
        if (next != null) {
          current = next;
        }
      } catch (RuntimeException e) {
        Log.warnf(e, "hook %s failed in %s; skipped", hook.getClass().getName(), what);
      }
    }
    return current;
  }
}
