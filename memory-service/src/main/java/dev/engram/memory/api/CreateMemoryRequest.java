package dev.engram.memory.api;

import dev.engram.events.FactCategory;
import dev.engram.events.MemoryType;
import dev.engram.memory.facts.ExtractedFact;
import dev.engram.memory.model.NewMemory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A memory a client adds directly.
 *
 * @param type EPISODIC (default), SEMANTIC or PROCEDURAL
 * @param importance the client's view of its importance, 0..1 (raises salience)
 * @param occurredAt when the remembered thing happened (for imported history); default now
 * @param task for PROCEDURAL: the task the steps achieve
 * @param steps for PROCEDURAL: the ordered steps
 * @param fact for SEMANTIC: the fact stated, if structured
 */
public record CreateMemoryRequest(
    MemoryType type,
    String content,
    Double importance,
    Map<String, Object> metadata,
    Instant occurredAt,
    UUID sessionId,
    String task,
    List<String> steps,
    FactInput fact) {

  /** A structured fact. */
  public record FactInput(
      FactCategory category, String subject, String predicate, String object, Double confidence) {}

  void check(Checks checks, String prefix, int maxLength) {
    checks
        .require(content != null && !content.isBlank(), prefix + "content", "must not be blank")
        .require(
            importance == null || (importance >= 0 && importance <= 1),
            prefix + "importance",
            "must be between 0 and 1");
    if (content != null && content.length() > maxLength) {
      throw ApiException.tooLarge(
          prefix + "content has " + content.length() + " characters; at most " + maxLength);
    }
    MemoryType t = type == null ? MemoryType.EPISODIC : type;
    if (t == MemoryType.PROCEDURAL) {
      checks
          .require(task != null && !task.isBlank(), prefix + "task", "is required for PROCEDURAL")
          .require(
              steps != null
                  && !steps.isEmpty()
                  && steps.stream().noneMatch(s -> s == null || s.isBlank()),
              prefix + "steps",
              "must list at least one non-blank step for PROCEDURAL");
    } else {
      checks
          .require(task == null, prefix + "task", "is only for PROCEDURAL memories")
          .require(steps == null, prefix + "steps", "is only for PROCEDURAL memories");
    }
    if (fact != null) {
      checks
          .require(t == MemoryType.SEMANTIC, prefix + "fact", "is only for SEMANTIC memories")
          .require(fact.category() != null, prefix + "fact.category", "is required")
          .require(notBlank(fact.subject()), prefix + "fact.subject", "must not be blank")
          .require(notBlank(fact.predicate()), prefix + "fact.predicate", "must not be blank")
          .require(notBlank(fact.object()), prefix + "fact.object", "must not be blank")
          .require(
              fact.confidence() == null || (fact.confidence() >= 0 && fact.confidence() <= 1),
              prefix + "fact.confidence",
              "must be between 0 and 1");
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank() && s.length() <= 200;
  }

  NewMemory toNewMemory(String userId) {
    MemoryType t = type == null ? MemoryType.EPISODIC : type;
    ExtractedFact explicit =
        fact == null
            ? null
            : new ExtractedFact(
                fact.category(),
                fact.subject().trim(),
                fact.predicate().trim().replace(' ', '_'),
                fact.object().trim(),
                fact.confidence() == null ? 1.0 : fact.confidence(),
                ExtractedFact.exclusiveSlot(
                    fact.predicate().trim().replace(' ', '_'), fact.object().trim()));
    return new NewMemory(
        userId,
        t,
        content.trim(),
        sessionId,
        null,
        null,
        null,
        null,
        metadata == null ? Map.of() : metadata,
        importance,
        occurredAt,
        null,
        null,
        t == MemoryType.PROCEDURAL ? task.trim() : null,
        t == MemoryType.PROCEDURAL ? List.copyOf(steps) : null,
        explicit);
  }
}
