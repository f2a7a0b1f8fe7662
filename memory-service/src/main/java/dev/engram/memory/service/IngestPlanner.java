package dev.engram.memory.service;

import dev.engram.events.ClusterChange;
import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.events.ReinforcementReason;
import dev.engram.memory.cluster.ClusterAssigner;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.facts.ExtractedFact;
import dev.engram.memory.facts.FactMerger;
import dev.engram.memory.lifecycle.DecayCurve;
import dev.engram.memory.lifecycle.EmotionScorer;
import dev.engram.memory.lifecycle.LifecyclePolicy;
import dev.engram.memory.lifecycle.SalienceScorer;
import dev.engram.memory.model.Cluster;
import dev.engram.memory.model.Fact;
import dev.engram.memory.model.Memory;
import dev.engram.memory.model.NewMemory;
import dev.engram.memory.model.StoredMemory;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns prepared memories of one user into an {@link IngestPlan}: scores (emotion, salience,
 * strength), cluster placement, fact merging and supersession, reinforcement of repeated memories,
 * and the events of it all. Pure: the caller loads the user's clusters, current facts and repeated
 * memories and writes the plan in one transaction.
 */
@ApplicationScoped
public class IngestPlanner {

  private final MemoryConfig config;
  private final MemoryEvents events;
  private final Clock clock;
  private final EmotionScorer emotion = new EmotionScorer();
  private final SalienceScorer salience;
  private final DecayCurve curve;

  public IngestPlanner(MemoryConfig config, MemoryEvents events, Clock clock) {
    this.config = config;
    this.events = events;
    this.clock = clock;
    this.salience = new SalienceScorer(config.salience());
    this.curve = DecayCurve.from(config.lifecycle());
  }

  /** A new memory at least this similar to an existing one repeats it (and reinforces it). */
  double repetitionSimilarity() {
    return config.ingest().repetitionSimilarity();
  }

  IngestPlan plan(
      String userId,
      List<Prepared> items,
      List<Cluster> clusters,
      List<Fact> currentFacts,
      Map<UUID, Memory> repeated) {
    Instant now = clock.instant();
    IngestPlan plan = new IngestPlan();
    ClusterAssigner assigner = new ClusterAssigner(clusters, config.clusters().joinThreshold());
    List<Fact> facts = new ArrayList<>(currentFacts);
    for (Prepared item : items) {
      NewMemory m = item.memory();
      Memory memory = memory(item, m.type(), m.content(), m.importance(), assigner, now);
      add(plan, memory, m.searchText(), item.vector());
      if (m.sourceEventId() != null) {
        plan.eventIds.add(m.sourceEventId());
      }
      if (item.nearest() != null && item.nearest().score() >= repetitionSimilarity()) {
        Memory earlier = repeated.get(item.nearest().id());
        if (earlier != null) {
          var update = Reinforcement.apply(curve, earlier, now);
          repeated.put(earlier.id(), Reinforcement.updated(earlier, update));
          plan.traceUpdates.add(update);
          plan.events.add(events.reinforced(userId, update, ReinforcementReason.REPETITION));
        }
      }
      for (Prepared.PreparedFact pf : item.facts()) {
        planFact(plan, facts, userId, m, memory, pf, assigner, now);
      }
      if (item.procedure() != null) {
        var p = item.procedure();
        String text =
            "How to " + p.procedure().task() + ": " + String.join("; ", p.procedure().steps());
        NewMemory procedural =
            new NewMemory(
                userId,
                MemoryType.PROCEDURAL,
                text,
                m.sessionId(),
                m.sourceMessageId(),
                null,
                m.role(),
                null,
                Map.of(),
                m.importance(),
                m.occurredAt(),
                null,
                null,
                p.procedure().task(),
                p.procedure().steps(),
                null);
        Prepared proc = new Prepared(procedural, p.vector(), null, List.of(), null);
        add(
            plan,
            memory(proc, MemoryType.PROCEDURAL, text, m.importance(), assigner, now),
            text,
            p.vector());
      }
    }
    for (Cluster created : assigner.created()) {
      plan.events.add(events.cluster(created, ClusterChange.CREATED, List.of()));
    }
    for (Cluster grown : assigner.grown()) {
      plan.events.add(events.cluster(grown, ClusterChange.GREW, List.of()));
    }
    plan.clusters.addAll(assigner.changed());
    return plan;
  }

  private void planFact(
      IngestPlan plan,
      List<Fact> facts,
      String userId,
      NewMemory source,
      Memory sourceMemory,
      Prepared.PreparedFact pf,
      ClusterAssigner assigner,
      Instant now) {
    ExtractedFact fact = pf.fact();
    switch (FactMerger.decide(fact, facts)) {
      case FactMerger.Confirm confirm -> {
        Fact existing = confirm.existing();
        Fact confirmed =
            new Fact(
                existing.id(),
                userId,
                existing.memoryId(),
                existing.category(),
                existing.subject(),
                existing.predicate(),
                existing.object(),
                existing.slot(),
                confirm.confidence(),
                existing.confirmations() + 1,
                existing.sourceMessageId(),
                existing.validFrom(),
                null,
                null,
                existing.createdAt(),
                now);
        facts.set(facts.indexOf(existing), confirmed);
        plan.confirmations.add(new IngestPlan.Confirmation(existing.id(), confirm.confidence()));
        plan.events.add(events.fact(confirmed, null));
      }
      case FactMerger.Supersede supersede -> {
        Instant from = validFrom(source, now);
        // Imported history older than a contradicting current fact does not replace it: it is
        // stored as the fact that held until the newer one began.
        Fact later =
            supersede.contradicted().stream()
                .filter(f -> f.validFrom() != null && f.validFrom().isAfter(from))
                .min(java.util.Comparator.comparing(Fact::validFrom))
                .orElse(null);
        NewMemory semantic =
            new NewMemory(
                userId,
                MemoryType.SEMANTIC,
                fact.sentence(),
                source.sessionId(),
                source.sourceMessageId(),
                null,
                source.role(),
                null,
                Map.of(),
                source.importance(),
                from,
                null,
                null,
                null,
                null,
                null);
        // A client's explicit fact on a SEMANTIC memory is that memory; an extracted one gets its
        // own.
        Memory memory = fact.equals(source.fact()) ? sourceMemory : null;
        if (memory == null) {
          Prepared prepared = new Prepared(semantic, pf.vector(), null, List.of(), null);
          memory =
              memory(
                  prepared,
                  MemoryType.SEMANTIC,
                  fact.sentence(),
                  source.importance(),
                  assigner,
                  now);
          add(plan, memory, fact.sentence(), pf.vector());
        }
        Fact created =
            new Fact(
                UUID.randomUUID(),
                userId,
                memory.id(),
                fact.category(),
                fact.subject(),
                fact.predicate(),
                fact.object(),
                fact.slot(),
                fact.confidence(),
                1,
                source.sourceMessageId(),
                from,
                later == null ? null : later.validFrom(),
                later == null ? null : later.id(),
                now,
                now);
        plan.newFacts.add(created);
        if (later != null) {
          // a past fact: out of default search, like the facts it was superseded by would be
          plan.archived.add(memory.id());
          plan.events.add(events.archived(userId, memory.id()));
          plan.events.add(events.fact(created, null));
          return;
        }
        facts.add(created);
        UUID superseded = null;
        for (Fact old : supersede.contradicted()) {
          facts.remove(old);
          plan.closings.add(new IngestPlan.Closing(old.id(), created.id(), old.memoryId(), from));
          if (old.memoryId() != null) {
            plan.archived.add(old.memoryId());
            plan.events.add(events.archived(userId, old.memoryId()));
          }
          superseded = old.id();
        }
        plan.events.add(events.fact(created, superseded));
      }
    }
  }

  private Memory memory(
      Prepared item,
      MemoryType type,
      String content,
      Double importance,
      ClusterAssigner assigner,
      Instant now) {
    NewMemory m = item.memory();
    EmotionScorer.Emotion feeling = emotion.score(content);
    Double nearest = item.nearest() == null ? null : (double) item.nearest().score();
    double score = salience.score(content, nearest, feeling.intensity(), importance);
    DecayCurve.Trace trace = curve.initial(score, now);
    UUID cluster = assigner.assign(m.userId(), item.vector(), content, now);
    return new Memory(
        UUID.randomUUID(),
        m.userId(),
        type,
        MemoryState.ACTIVE,
        content,
        m.sessionId(),
        m.sourceMessageId(),
        m.role(),
        m.sequence(),
        m.metadata(),
        importance,
        feeling.valence(),
        feeling.intensity(),
        score,
        trace.strength(),
        trace.stabilityDays(),
        0,
        null,
        now,
        m.occurredAt() == null ? now : m.occurredAt(),
        now,
        now,
        null,
        cluster,
        m.task(),
        m.steps(),
        0,
        0);
  }

  private void add(IngestPlan plan, Memory memory, String searchText, float[] vector) {
    plan.memories.add(
        new StoredMemory(
            memory, searchText, vector, curve.forgetAt(LifecyclePolicy.trace(memory))));
    plan.events.add(events.created(memory));
  }

  /** When a fact learnt from {@code source} holds from: the message's time, else now (imports). */
  private static Instant validFrom(NewMemory source, Instant now) {
    return source.occurredAt() != null ? source.occurredAt() : now;
  }
}
