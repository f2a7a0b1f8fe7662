package dev.engram.session.service;

import dev.engram.events.MessageAppended;
import dev.engram.events.MessageRole;
import dev.engram.session.messaging.TransactionalOutbox;
import dev.engram.session.model.MessageEntity;
import dev.engram.session.model.OutboxEntry;
import dev.engram.session.model.SessionEntity;
import dev.engram.session.repository.MessageAppender;
import dev.engram.session.repository.MessageRepository;
import dev.engram.session.repository.SessionRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Messages of a user's sessions: appending (ACTIVE sessions only), paging and context. */
@ApplicationScoped
public class MessageService {

  /** A session together with some of its messages. */
  public record SessionMessages(SessionEntity session, List<MessageEntity> messages) {}

  /**
   * The outcome of an append.
   *
   * @param replayed whether the idempotency key had been used: {@code message} is the one stored
   *     then, and nothing was written now
   */
  public record Appended(MessageEntity message, boolean replayed) {}

  private final SessionRepository sessions;
  private final MessageRepository messages;
  private final MessageAppender appender;
  private final TransactionalOutbox outbox;
  private final InputLimits limits;

  public MessageService(
      SessionRepository sessions,
      MessageRepository messages,
      MessageAppender appender,
      TransactionalOutbox outbox,
      InputLimits limits) {
    this.sessions = sessions;
    this.messages = messages;
    this.appender = appender;
    this.outbox = outbox;
    this.limits = limits;
  }

  /**
   * Appends a message with the session's next sequence number, together with its {@code
   * message.appended} event, in one statement. 404 for a session that is not the user's, 409 when
   * it is not ACTIVE, 413 for content over the bound.
   *
   * <p>With an {@code idempotencyKey} the session's message stored with that key, if there is one,
   * is the answer instead (whatever the session's state now), and nothing is written: no message,
   * no sequence number, no event. A key used for another role or content is refused (422); the
   * metadata is not compared.
   */
  @WithSpan("MessageService.append")
  public Uni<Appended> append(
      String userId,
      UUID sessionId,
      MessageRole role,
      String content,
      Map<String, Object> metadata,
      String idempotencyKey) {
    limits.checkContent(content);
    String metadataJson = limits.checkMetadata(metadata);
    MessageEntity message = new MessageEntity();
    message.id = UUID.randomUUID();
    message.sessionId = sessionId;
    message.userId = userId;
    message.role = role;
    message.content = content;
    message.metadata = metadata == null ? Map.of() : metadata;
    message.createdAt = Clock.now();
    message.idempotencyKey = idempotencyKey;
    OutboxEntry event =
        outbox.entry(
            userId,
            new MessageAppended(
                sessionId,
                message.id,
                MessageAppender.SEQUENCE_PLACEHOLDER,
                role,
                content,
                message.metadata,
                message.createdAt));
    return appender
        .append(message, metadataJson, event)
        .chain(
            sequence -> {
              if (sequence == null) {
                return Panache.withSession(() -> notAppended(userId, message));
              }
              outbox.written();
              message.sequence = sequence;
              return Uni.createFrom().item(new Appended(message, false));
            });
  }

  /** Nothing was written: the message stored earlier with the key, or why the append is refused. */
  private Uni<Appended> notAppended(String userId, MessageEntity attempt) {
    if (attempt.idempotencyKey == null) {
      return refuseAppend(userId, attempt.sessionId);
    }
    return messages
        .withKey(attempt.sessionId, userId, attempt.idempotencyKey)
        .chain(
            stored -> {
              if (stored == null) {
                return refuseAppend(userId, attempt.sessionId);
              }
              if (stored.role != attempt.role || !stored.content.equals(attempt.content)) {
                return Uni.createFrom().failure(keyReused(stored));
              }
              return Uni.createFrom().item(new Appended(stored, true));
            });
  }

  private static ProblemException keyReused(MessageEntity stored) {
    return ProblemException.unprocessable(
        "idempotency-key-reused",
        "Idempotency key reused",
        "The Idempotency-Key '"
            + stored.idempotencyKey
            + "' was used for message "
            + stored.id
            + " (sequence "
            + stored.sequence
            + ") with another role or content; use a new key for a new message",
        Map.of("messageId", stored.id, "sequence", stored.sequence));
  }

  /** Up to {@code limit} messages after sequence {@code after}, in order. */
  @WithSession
  public Uni<List<MessageEntity>> after(String userId, UUID sessionId, long after, int limit) {
    return owned(userId, sessionId).chain(session -> messages.after(sessionId, after, limit));
  }

  /** The session and its last {@code limit} messages, oldest first. */
  @WithSession
  public Uni<SessionMessages> context(String userId, UUID sessionId, int limit) {
    return owned(userId, sessionId)
        .chain(
            session ->
                messages.last(sessionId, limit).map(last -> new SessionMessages(session, last)));
  }

  private <T> Uni<T> refuseAppend(String userId, UUID sessionId) {
    return owned(userId, sessionId)
        .chain(
            session ->
                Uni.createFrom()
                    .<T>failure(
                        ProblemException.conflict(
                            "Session "
                                + sessionId
                                + " is "
                                + session.status
                                + "; messages can be appended only to an ACTIVE session",
                            Map.of("currentStatus", session.status))));
  }

  private Uni<SessionEntity> owned(String userId, UUID sessionId) {
    return sessions
        .findOwned(sessionId, userId)
        .onItem()
        .ifNull()
        .failWith(() -> SessionService.notFound(sessionId));
  }
}
