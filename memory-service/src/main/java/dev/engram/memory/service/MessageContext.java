package dev.engram.memory.service;

import dev.engram.events.MemoryType;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.model.NewMemory;
import dev.engram.memory.repository.MemoryRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gives each message the previous message of its session as context for its embedding (contextual
 * embedding): "Yes, last Tuesday!" is found by the question it answers. The previous message is
 * taken from the same batch or, failing that, from the store.
 */
@ApplicationScoped
public class MessageContext {

  private final MemoryRepository repository;
  private final MemoryConfig.Ingest config;

  public MessageContext(MemoryRepository repository, MemoryConfig config) {
    this.repository = repository;
    this.config = config.ingest();
  }

  public Uni<List<NewMemory>> withContext(List<NewMemory> items) {
    if (!config.contextualEmbedding()) {
      return Uni.createFrom().item(items);
    }
    Map<String, String> known = new HashMap<>();
    Map<String, List<NewMemory>> missingByUser = new LinkedHashMap<>();
    for (NewMemory m : items) {
      if (needsContext(m)) {
        known.put(key(m.userId(), m.sessionId(), m.sequence()), m.searchText());
      }
    }
    for (NewMemory m : items) {
      if (needsContext(m) && !known.containsKey(key(m.userId(), m.sessionId(), m.sequence() - 1))) {
        missingByUser.computeIfAbsent(m.userId(), u -> new ArrayList<>()).add(m);
      }
    }
    return Multi.createFrom()
        .iterable(missingByUser.entrySet())
        .onItem()
        .transformToUniAndConcatenate(
            e ->
                repository
                    .contents(
                        e.getKey(),
                        e.getValue().stream().map(NewMemory::sessionId).toList(),
                        e.getValue().stream().map(m -> m.sequence() - 1).toList())
                    .invoke(
                        found ->
                            found.forEach(
                                (k, content) -> known.put(e.getKey() + "/" + k, content))))
        .collect()
        .last()
        .map(ignored -> items.stream().map(m -> attach(m, known)).toList());
  }

  private NewMemory attach(NewMemory m, Map<String, String> known) {
    if (!needsContext(m)) {
      return m;
    }
    String previous = known.get(key(m.userId(), m.sessionId(), m.sequence() - 1));
    if (previous == null) {
      return m;
    }
    String context = context(previous, config.contextChars());
    return new NewMemory(
        m.userId(),
        m.type(),
        m.content(),
        m.sessionId(),
        m.sourceMessageId(),
        m.sourceEventId(),
        m.role(),
        m.sequence(),
        m.metadata(),
        m.importance(),
        m.occurredAt(),
        context,
        m.speaker(),
        m.task(),
        m.steps(),
        m.fact());
  }

  /** The context a message gets from the previous one: its last {@code chars} characters. */
  public static String context(String previous, int chars) {
    return previous.length() <= chars ? previous : previous.substring(previous.length() - chars);
  }

  private static boolean needsContext(NewMemory m) {
    return m.type() == MemoryType.EPISODIC
        && m.context() == null
        && m.sessionId() != null
        && m.sequence() != null;
  }

  private static String key(String userId, UUID sessionId, long sequence) {
    return userId + "/" + sessionId + "/" + sequence;
  }
}
