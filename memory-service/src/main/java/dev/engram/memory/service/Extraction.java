package dev.engram.memory.service;

import dev.engram.events.MemoryType;
import dev.engram.memory.facts.ExtractedFact;
import dev.engram.memory.facts.ExtractedProcedure;
import dev.engram.memory.facts.FactExtractor;
import dev.engram.memory.facts.ProcedureExtractor;
import dev.engram.memory.model.NewMemory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is learnt from an episodic memory besides the episode: facts (with the speaker, when known,
 * as their subject) and a procedure. A client's explicit fact on a SEMANTIC memory is taken as is.
 */
@ApplicationScoped
public class Extraction {

  private final FactExtractor facts;
  private final ProcedureExtractor procedures;

  public Extraction(FactExtractor facts, ProcedureExtractor procedures) {
    this.facts = facts;
    this.procedures = procedures;
  }

  public List<ExtractedFact> facts(NewMemory m) {
    if (m.fact() != null) {
      return List.of(m.fact());
    }
    if (m.type() != MemoryType.EPISODIC) {
      return List.of();
    }
    List<ExtractedFact> out = new ArrayList<>();
    for (ExtractedFact f : facts.extract(m.content(), m.role())) {
      out.add(
          m.speaker() == null || !"user".equals(f.subject())
              ? f
              : new ExtractedFact(
                  f.category(), m.speaker(), f.predicate(), f.object(), f.confidence(), f.slot()));
    }
    return out;
  }

  public Optional<ExtractedProcedure> procedure(NewMemory m) {
    return m.type() == MemoryType.EPISODIC ? procedures.extract(m.content()) : Optional.empty();
  }
}
