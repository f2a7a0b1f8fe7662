package dev.engram.orchestrator.service.stm;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One item of the working set.
 *
 * @param key identity in the set ({@code message:<id>} or {@code memory:<id>})
 * @param activation how active it is now, 0..1; fades every turn, rises when rehearsed
 * @param attention the score it got when it entered
 * @param rehearsals how often it was mentioned or recalled again
 * @param enteredTurn the turn it entered
 * @param lastRehearsedTurn the last turn it was rehearsed (its entry turn if never)
 */
public record WorkingItem(
    String key,
    ItemKind kind,
    String text,
    UUID memoryId,
    Instant occurredAt,
    double activation,
    AttentionScore attention,
    int rehearsals,
    long enteredTurn,
    long lastRehearsedTurn,
    Map<String, Object> attributes) {

  public WorkingItem {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  WorkingItem withActivation(double value) {
    return new WorkingItem(
        key,
        kind,
        text,
        memoryId,
        occurredAt,
        value,
        attention,
        rehearsals,
        enteredTurn,
        lastRehearsedTurn,
        attributes);
  }

  WorkingItem rehearsed(double value, long turn) {
    return new WorkingItem(
        key,
        kind,
        text,
        memoryId,
        occurredAt,
        value,
        attention,
        rehearsals + 1,
        enteredTurn,
        turn,
        attributes);
  }
}
