package dev.engram.orchestrator.service.binding;

import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.service.stm.AttentionScorer;
import dev.engram.orchestrator.service.stm.StmPolicy;
import dev.engram.orchestrator.service.stm.WorkingMemory;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything this instance holds of its bound user in RAM: the working set, the session the user is
 * in with its last messages, and the profile. Cleared on release, so nothing of a previous user
 * stays behind.
 */
@ApplicationScoped
public class UserState {

  private final WorkingMemory stm;
  private final AtomicReference<UUID> sessionId = new AtomicReference<>();
  private final AtomicReference<List<MessageView>> recent = new AtomicReference<>(List.of());
  private final AtomicReference<UserProfile> profile = new AtomicReference<>(UserProfile.EMPTY);
  private final AtomicReference<Binding> owner = new AtomicReference<>();
  private final HeldContext held;
  private final int recentLimit;

  public UserState(
      StmPolicy policy,
      AttentionScorer scorer,
      HeldContext held,
      dev.engram.orchestrator.config.OrchestratorConfig config) {
    this.stm = new WorkingMemory(policy, scorer);
    this.held = held;
    this.recentLimit = config.context().immediateMessages();
  }

  /** Marks the state as belonging to {@code binding} (after bind). */
  public void assign(Binding binding) {
    owner.set(binding);
  }

  /**
   * Whether the state belongs to {@code binding}. A turn that outlives its binding (released
   * meanwhile) checks this before writing, so nothing of one user lands in another's state.
   */
  public boolean ownedBy(Binding binding) {
    return binding != null && owner.get() == binding;
  }

  public WorkingMemory stm() {
    return stm;
  }

  /** The session the user is in, if any. */
  public UUID sessionId() {
    return sessionId.get();
  }

  /** The last messages of the current session, oldest first (pre-loaded, kept up to date). */
  public List<MessageView> recent() {
    return recent.get();
  }

  public UserProfile profile() {
    return profile.get();
  }

  /**
   * Switches to {@code session} with its last messages; messages of that session already held and
   * newer than those (stored while they were read) are kept.
   */
  public void enter(UUID session, List<MessageView> messages) {
    UUID previous = sessionId.getAndSet(session);
    recent.updateAndGet(
        held -> {
          List<MessageView> next = new ArrayList<>(messages);
          if (session.equals(previous)) {
            long newest = messages.stream().mapToLong(MessageView::sequence).max().orElse(-1);
            held.stream()
                .filter(m -> m.sequence() > newest && !contains(next, m))
                .forEach(next::add);
          }
          return tail(next);
        });
  }

  private static boolean contains(List<MessageView> messages, MessageView message) {
    return messages.stream().anyMatch(m -> m.id().equals(message.id()));
  }

  /**
   * Appends a stored message to the current session's recent messages, and to the held last
   * messages of its session ({@link HeldContext}).
   */
  public void remember(MessageView message) {
    held.remember(message);
    recent.updateAndGet(
        list -> {
          if (!message.sessionId().equals(sessionId.get()) || contains(list, message)) {
            return list;
          }
          List<MessageView> next = new ArrayList<>(list);
          next.add(message);
          return tail(next);
        });
  }

  public void updateProfile(java.util.function.UnaryOperator<UserProfile> change) {
    profile.updateAndGet(change);
  }

  /** The state as a snapshot of {@code userId}. */
  public StmSnapshot snapshot(String userId, Instant now) {
    return new StmSnapshot(
        StmSnapshot.VERSION,
        userId,
        stm.turn(),
        stm.items(),
        sessionId.get(),
        recent.get(),
        profile.get(),
        now);
  }

  /** Replaces the state with a snapshot's. */
  public void restore(StmSnapshot snapshot) {
    stm.restore(snapshot.turn(), snapshot.items());
    sessionId.set(snapshot.sessionId());
    recent.set(tail(snapshot.recent()));
    profile.set(snapshot.profile());
  }

  /** Forgets everything. */
  public void clear() {
    owner.set(null);
    held.clear();
    stm.clear();
    sessionId.set(null);
    recent.set(List.of());
    profile.set(UserProfile.EMPTY);
  }

  private List<MessageView> tail(List<MessageView> messages) {
    int from = Math.max(0, messages.size() - recentLimit);
    return List.copyOf(messages.subList(from, messages.size()));
  }
}
