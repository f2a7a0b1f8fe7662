package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.FactView;
import dev.engram.orchestrator.client.MemoryHit;
import dev.engram.orchestrator.client.MemoryView;
import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.ProcedureView;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.service.binding.UserProfile;
import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.ContextAssembler;
import dev.engram.orchestrator.service.context.ContextCandidates;
import dev.engram.orchestrator.service.context.ContextItem;
import dev.engram.orchestrator.service.context.ContextSource;
import dev.engram.orchestrator.service.stm.Candidate;
import dev.engram.orchestrator.service.stm.ItemKind;
import dev.engram.orchestrator.service.stm.WorkingItem;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns what was gathered into attention candidates and context candidates, each context item with
 * the reason it was considered, and hands them to the {@link ContextAssembler}.
 */
@ApplicationScoped
public class ContextBuilder {

  /** Predicates that state the user's own name ({@code name_is} is memory-service's). */
  private static final Pattern NAME_PREDICATE =
      Pattern.compile(
          "^(name|name[_ ]is|is[_ ]called|called|goes[_ ]by)$", Pattern.CASE_INSENSITIVE);

  /** The attribute of a working item made from a memory that names its speaker. */
  static final String ROLE = "role";

  /**
   * The attribute of a working item made from a memory that names the message it was made from
   * ({@code message:<id>}): the two are duplicates in a context.
   */
  static final String SOURCE_MESSAGE = "sourceMessage";

  private final ContextAssembler assembler;

  public ContextBuilder(ContextAssembler assembler) {
    this.assembler = assembler;
  }

  /** What asks for attention this turn: the user's message and every recalled memory. */
  public List<Candidate> attentionCandidates(MessageView message, List<MemoryHit> hits) {
    List<Candidate> candidates = new ArrayList<>();
    candidates.add(Candidate.message(message.id(), message.content(), message.createdAt()));
    for (MemoryHit hit : hits) {
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put("memoryType", hit.memory().type());
      attrs.put("score", hit.score());
      if (hit.memory().role() != null) {
        attrs.put(ROLE, role(hit.memory().role()));
      }
      if (hit.memory().sourceMessageId() != null) {
        attrs.put(SOURCE_MESSAGE, "message:" + hit.memory().sourceMessageId());
      }
      candidates.add(
          Candidate.memory(
              hit.memory().id(),
              hit.memory().content(),
              hit.memory().occurredAt() != null
                  ? hit.memory().occurredAt()
                  : hit.memory().createdAt(),
              hit.score(),
              attrs));
    }
    return candidates;
  }

  /** The profile with the name and preferences the facts state. */
  public static UserProfile withFacts(UserProfile profile, List<FactView> facts) {
    String name =
        facts.stream()
            .filter(f -> f.predicate() != null && NAME_PREDICATE.matcher(f.predicate()).matches())
            .max((a, b) -> Double.compare(a.confidence(), b.confidence()))
            .map(FactView::object)
            .orElse(null);
    List<String> preferences =
        facts.stream()
            .filter(f -> "PREFERENCE".equalsIgnoreCase(f.category()))
            .sorted((a, b) -> Double.compare(b.confidence(), a.confidence()))
            .map(f -> f.object() != null ? f.object() : f.sentence())
            .distinct()
            .limit(8)
            .toList();
    return profile.withFacts(name, preferences);
  }

  /** Assembles the context for {@code userMessage} (stored as {@code userMessageId}). */
  public AssembledContext assemble(
      String userMessage,
      UUID userMessageId,
      Gathered gathered,
      List<WorkingItem> working,
      UserProfile profile) {
    List<ContextItem> immediate =
        gathered.immediate().stream()
            .filter(m -> !m.id().equals(userMessageId))
            .map(
                m ->
                    new ContextItem(
                        ContextSource.IMMEDIATE,
                        "message:" + m.id(),
                        m.role() == null ? "user" : m.role().toLowerCase(Locale.ROOT),
                        m.content(),
                        1,
                        "message #" + m.sequence() + " of this session"))
            .toList();
    List<ContextItem> others = new ArrayList<>();
    String described = profile.describe();
    if (described != null) {
      others.add(item(ContextSource.PROFILE, "profile", described, 1, "the user's profile"));
    }
    session(gathered, others);
    String currentKey = "message:" + userMessageId;
    // a memory recalled this turn is also in the working set (it entered it, or rehearsed it):
    // the assembler keeps the working item, which says it was recalled too
    Map<String, ContextItem> recalled = new LinkedHashMap<>();
    gathered.hits().forEach(hit -> recalled.put("memory:" + hit.memory().id(), longTerm(hit)));
    for (WorkingItem w : working) {
      if (!w.key().equals(currentKey)) {
        ContextItem alsoRecalled = recalled.get(w.key());
        others.add(
            new ContextItem(
                ContextSource.WORKING,
                w.key(),
                w.attributes().get(ROLE) instanceof String role ? role : null,
                w.text(),
                w.activation(),
                String.format(
                        Locale.ROOT,
                        "in working memory: activation %.2f, rehearsed %d×",
                        w.activation(),
                        w.rehearsals())
                    + (alsoRecalled == null ? "" : "; recalled now: " + alsoRecalled.why()),
                w.kind() == ItemKind.MEMORY ? day(w.occurredAt()) : null,
                w.attributes().get(SOURCE_MESSAGE) instanceof String source ? source : null));
      }
    }
    others.addAll(recalled.values());
    for (FactView fact : gathered.facts()) {
      others.add(
          item(
              ContextSource.FACTS,
              "fact:" + fact.id(),
              fact.sentence(),
              fact.confidence(),
              String.format(
                  Locale.ROOT,
                  "%s fact, confidence %.2f",
                  fact.category() == null ? "a" : fact.category().toLowerCase(Locale.ROOT),
                  fact.confidence())));
    }
    gathered.procedures().forEach(p -> others.add(procedure(p)));
    return assembler.assemble(
        new ContextCandidates(userMessage, immediate, others, gathered.range()));
  }

  private static void session(Gathered gathered, List<ContextItem> others) {
    SessionView s = gathered.session();
    if (s != null) {
      String tags = s.tags().isEmpty() ? "" : ", tags " + String.join(", ", s.tags());
      others.add(
          item(
              ContextSource.SESSION,
              "session:" + s.id(),
              "Session \""
                  + s.title()
                  + "\" ("
                  + s.status()
                  + tags
                  + ", started "
                  + s.createdAt()
                  + ")",
              1,
              "the current session's metadata"));
    }
    if (gathered.parentSummary() != null && s != null) {
      others.add(
          item(
              ContextSource.PARENT,
              "parent:" + s.parentSessionId(),
              gathered.parentSummary(),
              0.9,
              "summary of the linked parent session"));
    }
  }

  private static ContextItem longTerm(MemoryHit hit) {
    String parts =
        hit.parts().entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", "));
    MemoryView memory = hit.memory();
    return new ContextItem(
        ContextSource.LONG_TERM,
        "memory:" + memory.id(),
        memory.role() == null ? null : role(memory.role()),
        memory.content(),
        hit.score(),
        String.format(
            Locale.ROOT,
            "long-term %s memory, score %.2f%s",
            memory.type() == null ? "" : memory.type().toLowerCase(Locale.ROOT),
            hit.score(),
            parts.isEmpty() ? "" : " (" + parts + ")"),
        day(memory.occurredAt() != null ? memory.occurredAt() : memory.createdAt()),
        memory.sourceMessageId() == null ? null : "message:" + memory.sourceMessageId());
  }

  /** The (UTC) day a memory refers to, which the prompt shows before it; null for none. */
  private static LocalDate day(Instant when) {
    return when == null ? null : LocalDate.ofInstant(when, ZoneOffset.UTC);
  }

  private static ContextItem procedure(ProcedureView p) {
    List<String> steps = p.stepTexts();
    StringBuilder text = new StringBuilder("To ").append(p.task()).append(':');
    for (int i = 0; i < steps.size(); i++) {
      text.append(' ').append(i + 1).append(". ").append(steps.get(i));
    }
    long runs = p.successCount() + p.failureCount();
    double score = runs == 0 ? p.strength() : (double) p.successCount() / runs;
    return item(
        ContextSource.PROCEDURES,
        "procedure:" + p.id(),
        text.toString(),
        score,
        String.format(Locale.ROOT, "procedure, %d of %d runs succeeded", p.successCount(), runs));
  }

  private static String role(String role) {
    return role.toLowerCase(Locale.ROOT);
  }

  private static ContextItem item(
      ContextSource source, String key, String text, double score, String why) {
    return new ContextItem(source, key, null, text, score, why);
  }
}
