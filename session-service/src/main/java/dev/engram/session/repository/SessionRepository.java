package dev.engram.session.repository;

import dev.engram.events.SessionStatus;
import dev.engram.session.model.SessionEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Sessions, always looked up together with their owner so no query crosses users. */
@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<SessionEntity, UUID> {

  /** Position in the newest-first order of a user's sessions. */
  public record Position(Instant createdAt, UUID id) {}

  /** A session of the user, or null (also when it belongs to someone else). */
  public Uni<SessionEntity> findOwned(UUID id, String userId) {
    return find("id = ?1 and userId = ?2", id, userId).firstResult();
  }

  /**
   * One page of a user's sessions, newest first, optionally filtered by status and tag, strictly
   * after {@code after} (null for the first page).
   */
  public Uni<List<SessionEntity>> page(
      String userId, SessionStatus status, String tag, Position after, int limit) {
    StringBuilder query = new StringBuilder("userId = :user");
    Map<String, Object> params = new HashMap<>();
    params.put("user", userId);
    if (status != null) {
      query.append(" and status = :status");
      params.put("status", status);
    }
    if (tag != null) {
      query.append(" and array_contains(tags, :tag)");
      params.put("tag", tag);
    }
    if (after != null) {
      query.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
      params.put("at", after.createdAt());
      params.put("id", after.id());
    }
    query.append(" order by createdAt desc, id desc");
    return find(query.toString(), params).range(0, limit - 1).list();
  }

  /**
   * Whether {@code ancestorCandidate} is {@code sessionId} itself or one of its descendants, that
   * is, whether making it {@code sessionId}'s parent would close a cycle.
   */
  public Uni<Boolean> wouldCycle(UUID sessionId, UUID ancestorCandidate, String userId) {
    return getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "with recursive chain(id, parent) as ("
                            + " select id, parent_session_id from sessions"
                            + "  where id = :candidate and user_id = :user"
                            + " union"
                            + " select s.id, s.parent_session_id from sessions s"
                            + "  join chain c on s.id = c.parent and s.user_id = :user)"
                            + " select count(*) from chain where id = :session",
                        Long.class)
                    .setParameter("candidate", ancestorCandidate)
                    .setParameter("session", sessionId)
                    .setParameter("user", userId)
                    .getSingleResult())
        .map(count -> count > 0);
  }

  /**
   * Serialises the link operations of one user until the transaction ends, so that two concurrent
   * links cannot together close a cycle.
   */
  public Uni<Void> lockLinksOf(String userId) {
    return getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "select count(*) from (select pg_advisory_xact_lock(hashtext(:user))) l",
                        Long.class)
                    .setParameter("user", userId)
                    .getSingleResult())
        .replaceWithVoid();
  }

  /** Deletes every session of the user (their messages go with them) and returns how many. */
  public Uni<Long> deleteAllOf(String userId) {
    return delete("userId", userId);
  }
}
