package dev.engram.orchestrator.service.binding;

import dev.engram.orchestrator.client.FactView;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The context sources a turn can take from what the instance already holds instead of asking the
 * services again: the last messages of each of the user's sessions and the user's facts. The
 * instance stores every message of its user's turns itself and reads the user's events, so:
 *
 * <ul>
 *   <li>a session's last messages are held once read, and every message stored through this
 *       instance is added ({@link #remember}); a {@code message.appended} event of a message not
 *       held (stored by someone else, such as the REST API through the gateway) drops the session;
 *   <li>the facts are held once read; a {@code fact.extracted} (or any change of a memory's state)
 *       drops them.
 * </ul>
 *
 * A read that overlapped such a change is used for its turn but not held, and so is a read of a
 * binding that has ended (its epoch is never current). Whatever is held is read again after {@code
 * context.held-for} in any case (bounding how stale it can be should the events stop coming), and
 * everything is forgotten when the binding changes. On bind the restored snapshot's last messages
 * of the user's session are held as if read then ({@link UserState#preload}), so the first turn
 * need not read them.
 */
@ApplicationScoped
public class HeldContext {

  /** Sessions whose messages are held at most (the least recently used goes first). */
  static final int MAX_SESSIONS = 64;

  private record Tail(List<MessageView> messages, boolean complete, long readAt) {}

  private final int limit;
  private final long heldForNanos;

  /** An epoch no read is ever held with: that of a binding that is not the current one. */
  private static final long ENDED = -1;

  private final Map<UUID, Tail> sessions = new LinkedHashMap<>(16, 0.75f, true);
  private Binding owner;
  private long messagesEpoch;
  private List<FactView> facts;
  private long factsReadAt;
  private long factsEpoch;

  @Inject
  public HeldContext(OrchestratorConfig config) {
    // one more than the context takes: the turn's own message may be among them (see Gathered)
    this(config.context().immediateMessages() + 1, config.context().heldFor());
  }

  HeldContext(int limit, Duration heldFor) {
    this.limit = limit;
    this.heldForNanos = heldFor.toNanos();
  }

  /** How many of a session's last messages are held (and should be read). */
  public int limit() {
    return limit;
  }

  /** Forgets everything when the instance is bound to a user, or unbound. */
  void onBindingChanged(@Observes BindingChanged change) {
    bound(change.binding());
  }

  /** Forgets everything: what is held from now on is {@code binding}'s (null: nobody's). */
  synchronized void bound(Binding binding) {
    owner = binding;
    clear();
  }

  /** Forgets everything; reads in flight will not be held. */
  public synchronized void clear() {
    sessions.clear();
    facts = null;
    messagesEpoch++;
    factsEpoch++;
  }

  /** The session's last messages, oldest first, if held and fresh; else null (read them). */
  public synchronized List<MessageView> lastMessages(UUID session) {
    Tail tail = sessions.get(session);
    return tail != null && tail.complete() && fresh(tail.readAt()) ? tail.messages() : null;
  }

  /**
   * To pass to {@link #heldMessages} with what a read for {@code binding} started now returns; a
   * binding that is not the current one gets an epoch that is never held.
   */
  public synchronized long messagesEpoch(Binding binding) {
    return binding != null && binding == owner ? messagesEpoch : ENDED;
  }

  /**
   * Holds the session's last messages as read by a read started at {@code epoch}, with the messages
   * stored meanwhile; not if a change was seen since the read started.
   */
  public synchronized void heldMessages(UUID session, List<MessageView> read, long epoch) {
    if (heldForNanos <= 0 || epoch != messagesEpoch) {
      return;
    }
    Tail held = sessions.get(session);
    List<MessageView> merged = new ArrayList<>(read);
    if (held != null) {
      held.messages().stream().filter(m -> !contains(merged, m.id())).forEach(merged::add);
    }
    put(session, new Tail(tail(merged), true, System.nanoTime()));
  }

  /** A message stored through this instance (the user's or the answer). */
  public synchronized void remember(MessageView message) {
    if (message.sessionId() == null) {
      return;
    }
    Tail held = sessions.get(message.sessionId());
    if (held == null) {
      // a read in flight may not see it: held (incomplete) until that read is merged with it
      put(message.sessionId(), new Tail(List.of(message), false, System.nanoTime()));
    } else if (!contains(held.messages(), message.id())) {
      List<MessageView> next = new ArrayList<>(held.messages());
      next.add(message);
      put(message.sessionId(), new Tail(tail(next), held.complete(), held.readAt()));
    }
  }

  /**
   * A message was appended to the session (an event): unless it is held, the session is dropped.
   */
  public synchronized void appended(UUID session, UUID messageId) {
    Tail held = sessions.get(session);
    if (held != null && !contains(held.messages(), messageId)) {
      sessions.remove(session);
      messagesEpoch++;
    }
  }

  /** The user's facts if held and fresh; else null (read them). */
  public synchronized List<FactView> facts() {
    return facts != null && fresh(factsReadAt) ? facts : null;
  }

  /**
   * To pass to {@link #heldFacts} with what a read for {@code binding} started now returns; a
   * binding that is not the current one gets an epoch that is never held.
   */
  public synchronized long factsEpoch(Binding binding) {
    return binding != null && binding == owner ? factsEpoch : ENDED;
  }

  /** Holds the facts read by a read started at {@code epoch}, unless they changed since. */
  public synchronized void heldFacts(List<FactView> read, long epoch) {
    if (heldForNanos > 0 && epoch == factsEpoch) {
      facts = List.copyOf(read);
      factsReadAt = System.nanoTime();
    }
  }

  /** The user's facts changed (an event): they are read again on the next turn. */
  public synchronized void factsChanged() {
    facts = null;
    factsEpoch++;
  }

  private boolean fresh(long readAt) {
    return System.nanoTime() - readAt < heldForNanos;
  }

  private void put(UUID session, Tail tail) {
    sessions.put(session, tail);
    if (sessions.size() > MAX_SESSIONS) {
      sessions.remove(sessions.keySet().iterator().next());
    }
  }

  private List<MessageView> tail(List<MessageView> messages) {
    messages.sort(Comparator.comparingLong(MessageView::sequence));
    int from = Math.max(0, messages.size() - limit);
    return List.copyOf(messages.subList(from, messages.size()));
  }

  private static boolean contains(List<MessageView> messages, UUID id) {
    return messages.stream().anyMatch(m -> m.id().equals(id));
  }
}
