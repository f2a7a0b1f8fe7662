package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.FactView;
import dev.engram.orchestrator.client.MemoryClient;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.RecallRequest;
import dev.engram.orchestrator.client.Recalled;
import dev.engram.orchestrator.client.SessionClient;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.binding.BindingCache;
import dev.engram.orchestrator.service.binding.BindingChanged;
import dev.engram.orchestrator.service.binding.HeldContext;
import dev.engram.orchestrator.service.context.TimeRange;
import dev.engram.orchestrator.service.context.TimeRangeParser;
import dev.engram.orchestrator.service.stm.Terms;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Asks session-service and memory-service, in parallel, for what a turn's context may use: the
 * session's last messages (none for a session the turn created), long-term memories matching the
 * message (narrowed to the time window the message names, if any) and procedures for it (both in
 * one recall call), facts, and a summary of the linked parent session. A source that fails is left
 * out and reported as degraded; the turn goes on.
 */
@ApplicationScoped
public class ContextGatherer {

  /** memory-service's most procedures per recall. */
  static final int MAX_PROCEDURES = 20;

  private static final int PARENT_MESSAGES = 20;

  private final SessionClient sessions;
  private final MemoryClient memories;
  private final TimeRangeParser times;
  private final OrchestratorConfig.Context config;
  private final StageTimers timers;
  private final HeldContext held;
  private final BindingCache<UUID, String> parentSummaries = new BindingCache<>();

  public ContextGatherer(
      SessionClient sessions,
      MemoryClient memories,
      TimeRangeParser times,
      OrchestratorConfig config,
      StageTimers timers,
      HeldContext held) {
    this.held = held;
    this.sessions = sessions;
    this.memories = memories;
    this.times = times;
    this.config = config.context();
    this.timers = timers;
  }

  /**
   * Gathers everything a preview of a message in {@code session} (null: none) needs, changing
   * nothing: memory-service is asked not to reinforce what it recalls.
   */
  public Uni<Gathered> preview(SessionView session, String message, Caller caller) {
    return gather(session, false, message, caller, false);
  }

  /**
   * Gathers everything for a turn's message in {@code session}; a session the turn has just created
   * has no messages to read ({@code created}). What is recalled is reinforced.
   */
  public Uni<Gathered> gather(SessionView session, boolean created, String message, Caller caller) {
    return gather(session, created, message, caller, true);
  }

  @WithSpan("ContextGatherer.gather")
  Uni<Gathered> gather(
      SessionView session, boolean created, String message, Caller caller, boolean reinforce) {
    List<String> degraded = Collections.synchronizedList(new ArrayList<>());
    TimeRange range = times.parseQuestion(message, caller.zone()).orElse(null);
    String query = range == null ? message : TimeRangeParser.withoutPhrase(message, range);
    String bearer = caller.bearer();
    var immediate =
        session == null || created
            ? Uni.createFrom().item(List.<MessageView>of())
            : guarded(lastMessages(session.id(), caller), "immediate", degraded);
    var recalled = recall(query.isBlank() ? message : query, range, reinforce, bearer, degraded);
    var facts = guarded(facts(caller), "facts", degraded);
    var parent = parentSummary(session, caller, degraded);
    return timers.timed(
        "gather",
        Uni.combine()
            .all()
            .unis(immediate, recalled, facts, parent)
            .with(
                (m, r, f, s) ->
                    new Gathered(
                        session,
                        m,
                        r.hits(),
                        f,
                        r.procedures(),
                        s.isEmpty() ? null : s,
                        range,
                        List.copyOf(degraded))));
  }

  /**
   * Long-term memories and procedures in one memory-service call (one embedding of the text); when
   * it fails, both sources are degraded.
   */
  private Uni<Recalled> recall(
      String text, TimeRange range, boolean reinforce, String bearer, List<String> degraded) {
    var request =
        new RecallRequest(
            recallQuery(text),
            config.longTermK(),
            range == null ? null : range.from(),
            range == null ? null : range.to(),
            Math.clamp(config.proceduresK(), 0, MAX_PROCEDURES),
            reinforce ? null : Boolean.FALSE);
    return timers
        .timed("recall", memories.recall(request, bearer))
        .onFailure()
        .recoverWithItem(
            e -> {
              Log.debugf("context sources long-term, procedures unavailable: %s", e.getMessage());
              degraded.add("long-term");
              degraded.add("procedures");
              return new Recalled(List.of(), List.of());
            });
  }

  /**
   * The text memory-service is asked to recall for: the message (without its time phrase), stripped
   * and cut to memory-service's longest query, so a long message is recalled for by its beginning
   * instead of failing (the embedding model reads no more than its first few hundred words anyway).
   */
  static String recallQuery(String text) {
    String stripped = text.strip();
    if (stripped.length() <= RecallRequest.MAX_QUERY_CHARS) {
      return stripped;
    }
    int end = RecallRequest.MAX_QUERY_CHARS;
    if (Character.isHighSurrogate(stripped.charAt(end - 1))) {
      end--; // not half a character
    }
    return stripped.substring(0, end);
  }

  /** The session's last messages: held by the instance, else read (and then held). */
  private Uni<List<MessageView>> lastMessages(UUID session, Caller caller) {
    return Uni.createFrom()
        .deferred(
            () -> {
              List<MessageView> known = held.lastMessages(session);
              if (known != null) {
                return Uni.createFrom().item(known);
              }
              long epoch = held.messagesEpoch(caller.binding());
              return timers
                  .timed("immediate", sessions.context(session, held.limit(), caller.bearer()))
                  .invoke(read -> held.heldMessages(session, read, epoch));
            });
  }

  /** The user's facts: held by the instance, else read (and then held). */
  private Uni<List<FactView>> facts(Caller caller) {
    return Uni.createFrom()
        .deferred(
            () -> {
              List<FactView> known = held.facts();
              if (known != null) {
                return Uni.createFrom().item(known);
              }
              long epoch = held.factsEpoch(caller.binding());
              return timers
                  .timed("facts", memories.facts(caller.bearer()))
                  .invoke(read -> held.heldFacts(read, epoch));
            });
  }

  /**
   * A new binding, or none, starts with no cached summary of the previous user's sessions, and a
   * turn of the previous binding still running caches none.
   */
  void onBindingChanged(@Observes BindingChanged change) {
    parentSummaries.bound(change.binding());
  }

  /** Forgets cached parent summaries (a session was linked or its parent changed). */
  public void forget() {
    parentSummaries.clear();
  }

  private Uni<String> parentSummary(SessionView session, Caller caller, List<String> degraded) {
    if (session == null || session.parentSessionId() == null) {
      return Uni.createFrom().item("");
    }
    UUID parentId = session.parentSessionId();
    String cached = parentSummaries.get(parentId);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return Uni.combine()
        .all()
        .unis(
            sessions.get(parentId, caller.bearer()),
            sessions.context(parentId, PARENT_MESSAGES, caller.bearer()))
        .with(ContextGatherer::summarise)
        .invoke(summary -> parentSummaries.put(caller.binding(), parentId, summary))
        .onFailure()
        .recoverWithItem(
            e -> {
              degraded.add("parent");
              return "";
            });
  }

  /** An extractive summary of a session: its title, main topics and how it ended. */
  static String summarise(SessionView parent, List<MessageView> messages) {
    Map<String, Long> counts =
        messages.stream()
            .flatMap(m -> Terms.of(m.content()).stream())
            .collect(Collectors.groupingBy(t -> t, Collectors.counting()));
    String topics =
        counts.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(6)
            .map(Map.Entry::getKey)
            .collect(Collectors.joining(", "));
    StringBuilder out = new StringBuilder("Earlier session \"").append(parent.title()).append('"');
    if (!topics.isEmpty()) {
      out.append(" was about ").append(topics);
    }
    messages.stream()
        .filter(m -> "user".equalsIgnoreCase(m.role()))
        .reduce((a, b) -> b)
        .ifPresent(
            last ->
                out.append(". The user last said: \"")
                    .append(clip(last.content(), 160))
                    .append('"'));
    return out.toString();
  }

  private static <T> Uni<List<T>> guarded(Uni<List<T>> call, String source, List<String> degraded) {
    return call.onFailure()
        .recoverWithItem(
            e -> {
              Log.debugf("context source %s unavailable: %s", source, e.getMessage());
              degraded.add(source);
              return List.of();
            });
  }

  private static String clip(String text, int chars) {
    return text.length() <= chars ? text : text.substring(0, chars) + "…";
  }
}
