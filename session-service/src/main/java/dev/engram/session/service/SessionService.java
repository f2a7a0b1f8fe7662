package dev.engram.session.service;

import dev.engram.events.SessionCreated;
import dev.engram.events.SessionLinked;
import dev.engram.events.SessionStateChanged;
import dev.engram.events.SessionStatus;
import dev.engram.session.messaging.TransactionalOutbox;
import dev.engram.session.model.SessionEntity;
import dev.engram.session.repository.SessionCreator;
import dev.engram.session.repository.SessionRepository;
import dev.engram.session.repository.SessionRepository.Position;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sessions of one user: creation, reading, labels, lifecycle and links. Every change is written
 * with its event in one transaction through the {@link TransactionalOutbox}.
 */
@ApplicationScoped
public class SessionService {

  private final SessionRepository sessions;
  private final TransactionalOutbox outbox;
  private final InputLimits limits;
  private final SessionCreator creator;

  public SessionService(
      SessionRepository sessions,
      TransactionalOutbox outbox,
      InputLimits limits,
      SessionCreator creator) {
    this.creator = creator;
    this.sessions = sessions;
    this.outbox = outbox;
    this.limits = limits;
  }

  /** Opens a new ACTIVE session, optionally continuing one of the user's sessions. */
  @WithSpan("SessionService.create")
  public Uni<SessionEntity> create(
      String userId,
      String title,
      List<String> tags,
      Map<String, Object> metadata,
      UUID parentSessionId) {
    String metadataJson = limits.checkMetadata(metadata);
    Instant now = Clock.now();
    SessionEntity session = new SessionEntity();
    session.id = UUID.randomUUID();
    session.userId = userId;
    session.title = title;
    session.status = SessionStatus.ACTIVE;
    session.tags = distinct(tags);
    session.metadata = metadata == null ? Map.of() : metadata;
    session.parentSessionId = parentSessionId;
    session.createdAt = now;
    session.updatedAt = now;
    SessionCreated created =
        new SessionCreated(
            session.id,
            session.title,
            session.tags,
            session.metadata,
            session.parentSessionId,
            session.status,
            now);
    if (parentSessionId == null) {
      // one statement, one round trip: what a chat's first turn waits for
      return creator
          .create(session, metadataJson, outbox.entry(userId, created))
          .invoke(outbox::written)
          .replaceWith(session);
    }
    return outbox.transaction(
        () ->
            requireParent(userId, parentSessionId)
                .chain(() -> sessions.persist(session))
                .chain(() -> outbox.record(userId, created))
                .replaceWith(session));
  }

  /** The user's session; 404 when it does not exist or belongs to someone else. */
  @WithSession
  public Uni<SessionEntity> get(String userId, UUID id) {
    return sessions.findOwned(id, userId).onItem().ifNull().failWith(() -> notFound(id));
  }

  /** A page of the user's sessions, newest first; one more than {@code limit} tells more exist. */
  @WithSession
  public Uni<List<SessionEntity>> list(
      String userId, SessionStatus status, String tag, Position after, int limit) {
    return sessions.page(userId, status, tag, after, limit);
  }

  /** Replaces the title, tags or metadata given (null leaves a field as it is). */
  @WithSpan("SessionService.update")
  public Uni<SessionEntity> update(
      String userId, UUID id, String title, List<String> tags, Map<String, Object> metadata) {
    limits.checkMetadata(metadata);
    return outbox.transaction(
        () ->
            lockOwned(userId, id)
                .invoke(
                    session -> {
                      if (title != null) {
                        session.title = title;
                      }
                      if (tags != null) {
                        session.tags = distinct(tags);
                      }
                      if (metadata != null) {
                        session.metadata = metadata;
                      }
                      session.updatedAt = Clock.now();
                    }));
  }

  /** Moves the session through its lifecycle; 409 naming the current state when not allowed. */
  @WithSpan("SessionService.transition")
  public Uni<SessionEntity> transition(String userId, UUID id, Lifecycle transition) {
    return outbox.transaction(
        () ->
            lockOwned(userId, id)
                .chain(
                    session -> {
                      SessionStatus from = session.status;
                      if (!transition.allowedFrom(from)) {
                        return Uni.createFrom()
                            .failure(
                                ProblemException.conflict(
                                    "Session "
                                        + id
                                        + " is "
                                        + from
                                        + "; it cannot "
                                        + transition.verb(),
                                    Map.of("currentStatus", from)));
                      }
                      Instant now = Clock.now();
                      session.status = transition.target();
                      session.updatedAt = now;
                      return outbox
                          .record(userId, new SessionStateChanged(id, from, session.status, now))
                          .replaceWith(session);
                    }));
  }

  /** Makes the session continue {@code parentId}; refuses links that would close a cycle. */
  @WithSpan("SessionService.link")
  public Uni<SessionEntity> link(String userId, UUID id, UUID parentId) {
    return outbox.transaction(
        () ->
            sessions
                .lockLinksOf(userId)
                .chain(() -> lockOwned(userId, id))
                .call(() -> requireParent(userId, parentId))
                .call(() -> refuseCycle(userId, id, parentId))
                .chain(
                    session -> {
                      Instant now = Clock.now();
                      session.parentSessionId = parentId;
                      session.updatedAt = now;
                      return outbox
                          .record(userId, new SessionLinked(id, parentId, now))
                          .replaceWith(session);
                    }));
  }

  private Uni<SessionEntity> lockOwned(String userId, UUID id) {
    return sessions
        .find("id = ?1 and userId = ?2", id, userId)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResult()
        .onItem()
        .ifNull()
        .failWith(() -> notFound(id));
  }

  private Uni<Void> requireParent(String userId, UUID parentId) {
    if (parentId == null) {
      return Uni.createFrom().voidItem();
    }
    return sessions
        .findOwned(parentId, userId)
        .onItem()
        .ifNull()
        .failWith(() -> ProblemException.invalid("parentSessionId", "no such session"))
        .replaceWithVoid();
  }

  private Uni<Void> refuseCycle(String userId, UUID id, UUID parentId) {
    return sessions
        .wouldCycle(id, parentId, userId)
        .invoke(
            cycle -> {
              if (cycle) {
                throw ProblemException.conflict(
                    "Linking session "
                        + id
                        + " to "
                        + parentId
                        + " would make a session continue itself",
                    Map.of("parentSessionId", parentId));
              }
            })
        .replaceWithVoid();
  }

  static ProblemException notFound(UUID id) {
    return ProblemException.notFound("No session " + id);
  }

  private static List<String> distinct(List<String> tags) {
    return tags == null ? List.of() : new ArrayList<>(new LinkedHashSet<>(tags));
  }
}
