package dev.engram.memory.service;

import dev.engram.events.CloudEvent;
import dev.engram.memory.index.TermCounts;
import dev.engram.memory.index.VectorEntry;
import dev.engram.memory.model.Cluster;
import dev.engram.memory.model.Fact;
import dev.engram.memory.model.StoredMemory;
import dev.engram.memory.model.TraceUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Everything one ingest transaction writes for one user, and the events it publishes. */
final class IngestPlan {

  record Confirmation(UUID factId, double confidence) {}

  record Closing(UUID factId, UUID supersededBy, UUID memoryId, Instant validTo) {}

  final List<StoredMemory> memories = new ArrayList<>();
  final List<Fact> newFacts = new ArrayList<>();
  final List<Confirmation> confirmations = new ArrayList<>();
  final List<Closing> closings = new ArrayList<>();
  final List<TraceUpdate> traceUpdates = new ArrayList<>();
  final List<UUID> archived = new ArrayList<>();
  final List<Cluster> clusters = new ArrayList<>();
  final List<CloudEvent<?>> events = new ArrayList<>();
  final List<String> eventIds = new ArrayList<>();

  /** The lexical terms PostgreSQL made of each stored memory. */
  final Map<UUID, TermCounts> terms = new HashMap<>();

  /** The vectors the index gains. */
  List<VectorEntry> vectorEntries() {
    return memories.stream()
        .map(
            s ->
                new VectorEntry(
                    s.memory().id(),
                    s.memory().type(),
                    s.memory().state(),
                    s.memory().occurredAt(),
                    s.memory().sessionId(),
                    s.embedding(),
                    terms.getOrDefault(s.memory().id(), TermCounts.NONE)))
        .toList();
  }
}
