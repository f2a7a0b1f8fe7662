package dev.engram.session.repository;

import dev.engram.session.model.MessageEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** Messages of a session, in sequence order. */
@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<MessageEntity, UUID> {

  /** Up to {@code limit} messages with a sequence greater than {@code after}, in order. */
  public Uni<List<MessageEntity>> after(UUID sessionId, long after, int limit) {
    return find("sessionId = ?1 and sequence > ?2", Sort.ascending("sequence"), sessionId, after)
        .range(0, limit - 1)
        .list();
  }

  /** The last {@code limit} messages of a session, in order. */
  public Uni<List<MessageEntity>> last(UUID sessionId, int limit) {
    return find("sessionId", Sort.descending("sequence"), sessionId)
        .range(0, limit - 1)
        .list()
        .map(
            newestFirst -> {
              List<MessageEntity> ordered = new ArrayList<>(newestFirst);
              Collections.reverse(ordered);
              return ordered;
            });
  }

  /** The user's message stored in the session with {@code idempotencyKey}, or null. */
  public Uni<MessageEntity> withKey(UUID sessionId, String userId, String idempotencyKey) {
    return find(
            "sessionId = ?1 and userId = ?2 and idempotencyKey = ?3",
            sessionId,
            userId,
            idempotencyKey)
        .firstResult();
  }

  /** Deletes every message of the user and returns how many. */
  public Uni<Long> deleteAllOf(String userId) {
    return delete("userId", userId);
  }
}
