package dev.engram.memory.service;

import dev.engram.memory.facts.ExtractedFact;
import dev.engram.memory.facts.ExtractedProcedure;
import dev.engram.memory.index.ScoredId;
import dev.engram.memory.model.NewMemory;
import java.util.List;

/**
 * A memory ready to store: embedded, compared with the user's nearest memory, and with what was
 * extracted from it (facts and a procedure, each with its own embedding).
 *
 * @param nearest the user's most similar existing memory, or null
 */
record Prepared(
    NewMemory memory,
    float[] vector,
    ScoredId nearest,
    List<PreparedFact> facts,
    PreparedProcedure procedure) {

  record PreparedFact(ExtractedFact fact, float[] vector) {}

  record PreparedProcedure(ExtractedProcedure procedure, float[] vector) {}
}
