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
  private final AtomicReference<Recent> recent = new AtomicReference<>(Recent.NONE);
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

  /**
   * The current session's last messages, oldest first.
   *
   * @param complete whether they are known to be the session's last ones: read (or the session is
   *     new) and no message appended elsewhere since; only complete ones are kept in the snapshot
   *     and pre-loaded by the next bind
   */
  private record Recent(List<MessageView> messages, boolean complete) {
    static final Recent NONE = new Recent(List.of(), true);
  }

  /** The last messages of the current session, oldest first (restored on bind, kept up to date). */
  public List<MessageView> recent() {
    return recent.get().messages();
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
            held.messages().stream()
                .filter(m -> m.sequence() > newest && !contains(next, m))
                .forEach(next::add);
          }
          return new Recent(tail(next), true);
        });
  }

  /**
   * Switches to {@code session}, an existing session whose last messages are not read yet (the turn
   * reads them): until then what is held of it is not complete. Staying in the current session
   * changes nothing.
   */
  public void enter(UUID session) {
    if (!session.equals(sessionId.getAndSet(session))) {
      recent.set(new Recent(List.of(), false));
    }
  }

  /**
   * A message was appended to {@code session} (an event): unless this instance holds it, the
   * session's last messages it holds are not complete any more: {@link HeldContext} drops them, and
   * the current session's recent messages are no longer kept in the snapshot, until read again.
   */
  public void appended(UUID session, UUID messageId) {
    held.appended(session, messageId);
    if (session.equals(sessionId.get())) {
      recent.updateAndGet(
          r ->
              r.messages().stream().anyMatch(m -> m.id().equals(messageId))
                  ? r
                  : new Recent(r.messages(), false));
    }
  }

  /**
   * Pre-loads the restored session's last messages: {@link HeldContext} holds them for {@code
   * binding} as if read now, so the first turn after the bind takes them from there instead of
   * asking session-service (the user's events and {@code context.held-for} keep them current from
   * then on, as they do after a read). Called once the binding is in place, after its change has
   * emptied HeldContext.
   */
  public void preload(Binding binding) {
    UUID session = sessionId.get();
    Recent restored = recent.get();
    if (session != null && restored.complete() && !restored.messages().isEmpty()) {
      held.heldMessages(session, restored.messages(), held.messagesEpoch(binding));
    }
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
        r -> {
          if (!message.sessionId().equals(sessionId.get()) || contains(r.messages(), message)) {
            return r;
          }
          List<MessageView> next = new ArrayList<>(r.messages());
          next.add(message);
          return new Recent(tail(next), r.complete());
        });
  }

  public void updateProfile(java.util.function.UnaryOperator<UserProfile> change) {
    profile.updateAndGet(change);
  }

  /** The state as a snapshot of {@code userId}. */
  public StmSnapshot snapshot(String userId, Instant now) {
    Recent last = recent.get();
    return new StmSnapshot(
        StmSnapshot.VERSION,
        userId,
        stm.turn(),
        stm.items(),
        sessionId.get(),
        last.complete() ? last.messages() : List.of(),
        profile.get(),
        now);
  }

  /** Replaces the state with a snapshot's. */
  public void restore(StmSnapshot snapshot) {
    stm.restore(snapshot.turn(), snapshot.items());
    sessionId.set(snapshot.sessionId());
    // a session saved without its messages: they were not known then, so they are read
    boolean known = snapshot.sessionId() == null || !snapshot.recent().isEmpty();
    recent.set(new Recent(tail(snapshot.recent()), known));
    profile.set(snapshot.profile());
  }

  /** Forgets everything. */
  public void clear() {
    owner.set(null);
    held.clear();
    stm.clear();
    sessionId.set(null);
    recent.set(Recent.NONE);
    profile.set(UserProfile.EMPTY);
  }

  private List<MessageView> tail(List<MessageView> messages) {
    int from = Math.max(0, messages.size() - recentLimit);
    return List.copyOf(messages.subList(from, messages.size()));
  }
}
