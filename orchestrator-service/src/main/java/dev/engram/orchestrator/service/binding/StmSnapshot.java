package dev.engram.orchestrator.service.binding;

import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.service.stm.WorkingItem;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user's runtime state as stored in Redis between bindings: the working set, the session the user
 * was in with its last messages (the pre-loaded immediate context), and the profile.
 */
public record StmSnapshot(
    int version,
    String userId,
    long turn,
    List<WorkingItem> items,
    UUID sessionId,
    List<MessageView> recent,
    UserProfile profile,
    Instant savedAt) {

  public static final int VERSION = 1;

  public StmSnapshot {
    items = items == null ? List.of() : List.copyOf(items);
    recent = recent == null ? List.of() : List.copyOf(recent);
    profile = profile == null ? UserProfile.EMPTY : profile;
  }

  /**
   * Whether the snapshot holds nothing of its user: no working item, session, message or profile.
   */
  public boolean isEmpty() {
    return items.isEmpty() && sessionId == null && recent.isEmpty() && profile.isEmpty();
  }
}
