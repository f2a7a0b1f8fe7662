package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.FactView;
import dev.engram.orchestrator.client.MemoryClient;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.SearchRequest;
import dev.engram.orchestrator.client.SessionClient;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.config.OrchestratorConfig;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Asks session-service and memory-service, in parallel, for what a turn's context may use: the
 * session's last messages, long-term memories matching the message (narrowed to the time window the
 * message names, if any), facts, procedures for the task, and a summary of the linked parent
 * session. A source that fails is left out and reported as degraded; the turn goes on.
 */
@ApplicationScoped
public class ContextGatherer {

  private static final int PROCEDURE_QUERY_CHARS = 200;
  private static final int PARENT_MESSAGES = 20;

  private final SessionClient sessions;
  private final MemoryClient memories;
  private final TimeRangeParser times;
  private final OrchestratorConfig.Context config;
  private final StageTimers timers;
  private final HeldContext held;
  private final Map<UUID, String> parentSummaries = new ConcurrentHashMap<>();

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

  /** Gathers everything for a message in {@code session}. */
  @WithSpan("ContextGatherer.gather")
  public Uni<Gathered> gather(SessionView session, String message, Caller caller) {
    List<String> degraded = Collections.synchronizedList(new ArrayList<>());
    TimeRange range = times.parseQuestion(message, caller.zone()).orElse(null);
    String query = range == null ? message : TimeRangeParser.withoutPhrase(message, range);
    String bearer = caller.bearer();
    String searched = query.isBlank() ? message : query;
    var immediate =
        session == null
            ? Uni.createFrom().item(List.<MessageView>of())
            : guarded(lastMessages(session.id(), bearer), "immediate", degraded);
    var hits =
        guarded(
            timers.timed(
                "long-term",
                memories.search(
                    new SearchRequest(
                        searched,
                        config.longTermK(),
                        null,
                        null,
                        null,
                        range == null ? null : range.from(),
                        range == null ? null : range.to()),
                    bearer)),
            "long-term",
            degraded);
    var facts = guarded(facts(bearer), "facts", degraded);
    // the search's text (without a time phrase), so memory-service embeds one text for both
    var procedures =
        guarded(
            timers.timed(
                "procedures", memories.procedures(clip(searched, PROCEDURE_QUERY_CHARS), bearer)),
            "procedures",
            degraded);
    var parent = parentSummary(session, caller, degraded);
    return timers.timed(
        "gather",
        Uni.combine()
            .all()
            .unis(immediate, hits, facts, procedures, parent)
            .with(
                (m, h, f, p, s) ->
                    new Gathered(
                        session,
                        m,
                        h,
                        f,
                        p,
                        s.isEmpty() ? null : s,
                        range,
                        List.copyOf(degraded))));
  }

  /** The session's last messages: held by the instance, else read (and then held). */
  private Uni<List<MessageView>> lastMessages(UUID session, String bearer) {
    return Uni.createFrom()
        .deferred(
            () -> {
              List<MessageView> known = held.lastMessages(session);
              if (known != null) {
                return Uni.createFrom().item(known);
              }
              long epoch = held.messagesEpoch();
              return timers
                  .timed("immediate", sessions.context(session, held.limit(), bearer))
                  .invoke(read -> held.heldMessages(session, read, epoch));
            });
  }

  /** The user's facts: held by the instance, else read (and then held). */
  private Uni<List<FactView>> facts(String bearer) {
    return Uni.createFrom()
        .deferred(
            () -> {
              List<FactView> known = held.facts();
              if (known != null) {
                return Uni.createFrom().item(known);
              }
              long epoch = held.factsEpoch();
              return timers
                  .timed("facts", memories.facts(bearer))
                  .invoke(read -> held.heldFacts(read, epoch));
            });
  }

  /** A new binding, or none, starts with no cached summary of the previous user's sessions. */
  void onBindingChanged(@Observes BindingChanged change) {
    parentSummaries.clear();
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
        .invoke(summary -> parentSummaries.put(parentId, summary))
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
