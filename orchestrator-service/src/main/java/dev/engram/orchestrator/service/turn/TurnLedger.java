package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.api.ProblemException;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.binding.Binding;
import dev.engram.orchestrator.service.binding.BindingChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The turns the bound user's messages started, by their client ids ({@code clientMessageId} on the
 * WebSocket, {@code Idempotency-Key} over REST): a client that sends a message again because it
 * cannot know whether the first was taken (the connection dropped) gets the first one's turn
 * instead of a second. The last {@code chat.remembered-turns} ids of the binding are kept, with the
 * outcome of each completed turn; a failed turn is forgotten, so a repeat runs it again (the
 * session-service key of its message keeps that from storing it twice). Everything is forgotten
 * when the binding changes.
 */
@ApplicationScoped
public class TurnLedger {

  /** How a completed turn is remembered: its result and the user's message as stored. */
  public record Outcome(TurnResult result, MessageView question) {}

  /** A message taken under its client id; its outcome completes when its turn does. */
  public static final class Taken {

    private final String clientMessageId;
    private final UUID sessionId;
    private final String content;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    private Taken(String clientMessageId, UUID sessionId, String content) {
      this.clientMessageId = clientMessageId;
      this.sessionId = sessionId;
      this.content = content;
    }

    /** The turn's outcome: completed with it, or failed with the turn's failure. */
    public CompletableFuture<Outcome> outcome() {
      return outcome;
    }

    private boolean sameRequest(TurnRequest request) {
      return content.equals(request.content()) && Objects.equals(sessionId, request.sessionId());
    }
  }

  /**
   * A request with a client id, as the ledger took it.
   *
   * @param first whether it is the first with its id (its turn is to run); else a repeat of {@code
   *     taken}
   */
  public record Claim(Taken taken, boolean first) {}

  private final int capacity;
  private final Map<String, Taken> taken = new LinkedHashMap<>();
  private Binding owner;

  public TurnLedger(OrchestratorConfig config) {
    this.capacity = config.chat().rememberedTurns();
  }

  /** A new binding, or none, starts with no ids of the previous one. */
  synchronized void onBindingChanged(@Observes BindingChanged change) {
    taken.clear();
    owner = change.binding();
  }

  /**
   * Takes {@code request} for {@code binding}: null when it has no client id or the binding is not
   * the current one (nothing to remember then); a repeat of an id with another content or session
   * is refused (422 {@code idempotency-key-reused}).
   */
  public synchronized Claim claim(Binding binding, TurnRequest request) {
    String id = request.clientMessageId();
    if (id == null || binding == null || binding != owner) {
      return null;
    }
    Taken earlier = taken.get(id);
    if (earlier != null) {
      if (!earlier.sameRequest(request)) {
        throw ProblemException.keyReused(
            "The client message id '"
                + id
                + "' was sent with another content or session; use a new id for a new message");
      }
      return new Claim(earlier, false);
    }
    Taken next = new Taken(id, request.sessionId(), request.content());
    taken.put(id, next);
    if (taken.size() > capacity) {
      taken.remove(taken.keySet().iterator().next());
    }
    return new Claim(next, true);
  }

  /** The turn of {@code entry} (none: null) completed. */
  public void completed(Taken entry, Outcome outcome) {
    if (entry != null) {
      entry.outcome.complete(outcome);
    }
  }

  /**
   * The turn of {@code entry} (none: null) failed: the id is forgotten, so that a repeat runs it
   * again.
   */
  public void failed(Taken entry, Throwable failure) {
    if (entry == null) {
      return;
    }
    synchronized (this) {
      taken.remove(entry.clientMessageId, entry);
    }
    entry.outcome.completeExceptionally(failure);
  }
}
