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
   */
  @WithSpan("MessageService.append")
  public Uni<MessageEntity> append(
      String userId,
      UUID sessionId,
      MessageRole role,
      String content,
      Map<String, Object> metadata) {
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
                return Panache.withSession(() -> refuseAppend(userId, sessionId));
              }
              outbox.written();
              message.sequence = sequence;
              return Uni.createFrom().item(message);
            });
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

  private Uni<MessageEntity> refuseAppend(String userId, UUID sessionId) {
    return owned(userId, sessionId)
        .chain(
            session ->
                Uni.createFrom()
                    .failure(
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
