package dev.engram.session.service;

import dev.engram.events.UserErased;
import dev.engram.session.messaging.TransactionalOutbox;
import dev.engram.session.repository.MessageRepository;
import dev.engram.session.repository.OutboxRepository;
import dev.engram.session.repository.SessionRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The erasure of a user: everything session-service holds of them, propagated by an event. */
@ApplicationScoped
public class ErasureService {

  private final SessionRepository sessions;
  private final MessageRepository messages;
  private final OutboxRepository outboxRows;
  private final TransactionalOutbox outbox;

  public ErasureService(
      SessionRepository sessions,
      MessageRepository messages,
      OutboxRepository outboxRows,
      TransactionalOutbox outbox) {
    this.sessions = sessions;
    this.messages = messages;
    this.outboxRows = outboxRows;
    this.outbox = outbox;
  }

  /**
   * Deletes every session, message and not-yet-published event of the user and records {@code
   * user.erased} in the same transaction, so other services erase their part too.
   */
  @WithSpan("AccountService.erase")
  public Uni<UserErased> erase(String userId) {
    return outbox.transaction(
        () ->
            messages
                .deleteAllOf(userId)
                .chain(
                    messageCount ->
                        sessions
                            .deleteAllOf(userId)
                            .call(() -> outboxRows.deleteAllOf(userId))
                            .chain(
                                sessionCount -> {
                                  UserErased erased =
                                      new UserErased(Clock.now(), sessionCount, messageCount);
                                  return outbox.record(userId, erased).replaceWith(erased);
                                })));
  }
}
