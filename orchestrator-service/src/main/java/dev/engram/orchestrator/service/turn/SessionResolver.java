package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.api.ProblemException;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.SessionClient;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.service.binding.BindingCache;
import dev.engram.orchestrator.service.binding.BindingChanged;
import dev.engram.orchestrator.service.binding.UserState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;

/**
 * Finds the session a turn belongs to and stores its messages. A turn without a session id goes to
 * the user's current session, or to a new one; a paused session is resumed; a completed or archived
 * one is refused (409). Sessions known to be active are not fetched again, and a message refused
 * because the session changed state elsewhere is retried once after resolving it afresh.
 */
@ApplicationScoped
public class SessionResolver {

  private static final int TITLE_CHARS = 60;

  private final SessionClient sessions;
  private final UserState user;
  private final BindingCache<UUID, SessionView> active = new BindingCache<>();

  public SessionResolver(SessionClient sessions, UserState user) {
    this.sessions = sessions;
    this.user = user;
  }

  /**
   * A turn's session.
   *
   * @param created whether the turn created it (so it has no messages yet)
   */
  public record Resolved(SessionView session, boolean created) {}

  /** The session for a turn. */
  public Uni<Resolved> resolve(UUID requested, String content, Caller caller) {
    UUID id = requested != null ? requested : user.sessionId();
    if (id == null) {
      return sessions
          .create(title(content), Map.of("createdBy", "orchestrator"), caller.bearer())
          .invoke(session -> known(session, caller))
          .map(s -> new Resolved(s, true));
    }
    SessionView cached = active.get(id);
    if (cached != null) {
      return Uni.createFrom().item(new Resolved(cached, false));
    }
    return fetchActive(id, caller).map(s -> new Resolved(s, false));
  }

  /**
   * Stores a message in {@code session}, resuming the session once if it was paused meanwhile. With
   * an {@code idempotencyKey} (null: none) a message the session already holds under that key is
   * the answer, and nothing is stored again.
   */
  public Uni<MessageView> append(
      SessionView session,
      String role,
      String content,
      Map<String, Object> metadata,
      String idempotencyKey,
      Caller caller) {
    return sessions
        .append(session.id(), role, content, metadata, idempotencyKey, caller.bearer())
        .onFailure(e -> e instanceof ProblemException p && p.status() == 409)
        .recoverWithUni(
            e -> {
              active.remove(session.id());
              return fetchActive(session.id(), caller)
                  .flatMap(
                      s ->
                          sessions.append(
                              s.id(), role, content, metadata, idempotencyKey, caller.bearer()));
            });
  }

  /**
   * The message of {@code session} stored with {@code idempotencyKey} among the {@code limit} after
   * sequence {@code after}, or null.
   */
  public Uni<MessageView> storedWithKey(
      SessionView session, long after, int limit, String idempotencyKey, Caller caller) {
    return sessions.withKey(session.id(), after, limit, idempotencyKey, caller.bearer());
  }

  /**
   * A new binding, or none, starts with no cached session of the previous user, and a turn of the
   * previous binding still running caches none.
   */
  void onBindingChanged(@Observes BindingChanged change) {
    active.bound(change.binding());
  }

  /**
   * Forgets cached session states (all of them for null): when sessions change through this
   * instance's API or, through the gateway, in session-service ({@code SessionChangesConsumer}).
   */
  public void forget(UUID sessionId) {
    if (sessionId == null) {
      active.clear();
    } else {
      active.remove(sessionId);
    }
  }

  private Uni<SessionView> fetchActive(UUID id, Caller caller) {
    return sessions
        .get(id, caller.bearer())
        .flatMap(
            session -> {
              if (session.active()) {
                return Uni.createFrom().item(session);
              }
              if ("PAUSED".equalsIgnoreCase(session.status())) {
                return sessions.transition(id, "resume", caller.bearer());
              }
              return Uni.createFrom()
                  .<SessionView>failure(
                      ProblemException.conflict(
                          "Session "
                              + id
                              + " is "
                              + session.status()
                              + "; start a new session to continue"));
            })
        .invoke(session -> known(session, caller));
  }

  /** Caches an active session, unless the caller's binding has ended meanwhile. */
  private void known(SessionView session, Caller caller) {
    active.put(caller.binding(), session.id(), session);
  }

  private static String title(String content) {
    String flat = content.replaceAll("\\s+", " ").trim();
    return flat.length() <= TITLE_CHARS ? flat : flat.substring(0, TITLE_CHARS - 1) + "…";
  }
}
