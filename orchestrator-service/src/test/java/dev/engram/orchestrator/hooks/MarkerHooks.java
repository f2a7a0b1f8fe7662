package dev.engram.orchestrator.hooks;

import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.hooks.GeneratedResponse;
import dev.engram.orchestrator.service.hooks.IncomingMessage;
import dev.engram.orchestrator.service.hooks.TurnHook;
import dev.engram.orchestrator.service.hooks.TurnInfo;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hooks a deployment could plug in, discovered like any CDI bean: they act only on turns whose
 * message carries {@link #MARKER}, so the module's other tests see the built-in hook alone.
 */
public final class MarkerHooks {

  /** Turns with this in the message are amended by these hooks. */
  public static final String MARKER = "#hooks";

  /** The context each user's last marked turn was built with (as the hooks saw it). */
  private static final Map<String, AssembledContext> CONTEXTS = new ConcurrentHashMap<>();

  private MarkerHooks() {}

  /** The context {@code user}'s last marked turn was built with, or null. */
  public static AssembledContext contextOf(String user) {
    return CONTEXTS.get(user);
  }

  private static boolean marked(TurnInfo turn) {
    return Boolean.TRUE.equals(turn.attributes().get(MARKER));
  }

  /** Redacts a secret before the message is stored, steers the model, signs the answer. */
  @ApplicationScoped
  public static class Redacting implements TurnHook {

    @Override
    public IncomingMessage onMessageReceived(TurnInfo turn, IncomingMessage message) {
      if (!message.content().contains(MARKER)) {
        return message;
      }
      turn.attributes().put(MARKER, true);
      return message
          .withContent(message.content().replace("4711", "[redacted]"))
          .withMetadata("redacted", true);
    }

    @Override
    public AssembledContext onContextBuilt(TurnInfo turn, AssembledContext context) {
      if (marked(turn) && !turn.attributes().containsKey("preview")) {
        CONTEXTS.put(turn.userId(), context);
      }
      return marked(turn) ? context.withInstruction("Answer in one short paragraph.") : context;
    }

    @Override
    public GeneratedResponse onResponseGenerated(
        TurnInfo turn, AssembledContext context, GeneratedResponse response) {
      return marked(turn)
          ? response.withContent(response.content() + " (signed by the test hook)")
          : response;
    }

    @Override
    public int priority() {
      return 10;
    }
  }

  /** A broken hook: it throws on every marked turn, after the redacting one. */
  @ApplicationScoped
  public static class Failing implements TurnHook {

    @Override
    public IncomingMessage onMessageReceived(TurnInfo turn, IncomingMessage message) {
      if (marked(turn)) {
        throw new IllegalStateException("a broken hook");
      }
      return message;
    }

    @Override
    public GeneratedResponse onResponseGenerated(
        TurnInfo turn, AssembledContext context, GeneratedResponse response) {
      if (marked(turn)) {
        throw new IllegalStateException("a broken hook");
      }
      return response;
    }

    @Override
    public int priority() {
      return 20;
    }
  }
}
