package dev.engram.session.repository;

import dev.engram.session.model.OutboxEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The writing side of the outbox (rows are added in the caller's transaction). The relay reads and
 * marks rows through {@code messaging.OutboxStore}.
 */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntry, Long> {

  /** Deletes every outbox row of the user, sent or not, and returns how many. */
  public Uni<Long> deleteAllOf(String userId) {
    return delete("userId", userId);
  }
}
