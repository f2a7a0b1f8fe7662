package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.service.hooks.TurnInfo;
import io.smallrye.mutiny.Uni;

/**
 * A turn whose session is known and whose user message is being stored.
 *
 * @param created whether the turn created the session (it has no earlier messages to read)
 * @param message the user's message as the turn uses it before it is stored: the content, with the
 *     turn id as its id (the working set keys it so) and the time it was accepted
 * @param stored the store of the message in session-service, memoized: it starts with {@link
 *     #store()} (once the context is built), after {@code context.store-wait}, or when first
 *     awaited; the context and the first token do not wait for it, the assistant's answer is stored
 *     only after it (so the session keeps question before answer), and a failure of it fails the
 *     turn
 */
public record Intake(
    TurnInfo turn,
    SessionView session,
    boolean created,
    MessageView message,
    Uni<MessageView> stored) {

  /** Starts the store of the message now if nothing has yet (its outcome goes to who awaits it). */
  public void store() {
    stored.subscribe().with(ignored -> {}, ignored -> {});
  }
}
