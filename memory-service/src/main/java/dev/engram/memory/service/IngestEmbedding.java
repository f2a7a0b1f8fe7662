package dev.engram.memory.service;

import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.facts.ExtractedFact;
import dev.engram.memory.facts.ExtractedProcedure;
import dev.engram.memory.model.NewMemory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model's share of an ingest: extracts facts and procedures from messages that already carry
 * their context, and embeds the messages, the facts and the procedures in one batched model call.
 */
@ApplicationScoped
public class IngestEmbedding {

  private final Embedder embedder;
  private final Extraction extraction;

  public IngestEmbedding(Embedder embedder, Extraction extraction) {
    this.embedder = embedder;
    this.extraction = extraction;
  }

  /** The items with their vectors and what was extracted from them, by user in batch order. */
  public Uni<Map<String, List<Prepared>>> prepare(List<NewMemory> items) {
    List<List<ExtractedFact>> facts = new ArrayList<>();
    List<Optional<ExtractedProcedure>> procedures = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (NewMemory m : items) {
      texts.add(m.embeddingText());
      List<ExtractedFact> found = extraction.facts(m);
      facts.add(found);
      if (m.fact() == null) {
        found.forEach(f -> texts.add(f.sentence()));
      }
      Optional<ExtractedProcedure> procedure = extraction.procedure(m);
      procedures.add(procedure);
      procedure.ifPresent(p -> texts.add(p.task() + ": " + String.join("; ", p.steps())));
    }
    return embedder.embed(texts).map(vectors -> byUser(items, facts, procedures, vectors));
  }

  private static Map<String, List<Prepared>> byUser(
      List<NewMemory> items,
      List<List<ExtractedFact>> facts,
      List<Optional<ExtractedProcedure>> procedures,
      float[][] vectors) {
    Map<String, List<Prepared>> byUser = new LinkedHashMap<>();
    int next = 0;
    for (int i = 0; i < items.size(); i++) {
      NewMemory m = items.get(i);
      float[] vector = vectors[next++];
      List<Prepared.PreparedFact> pf = new ArrayList<>();
      for (ExtractedFact f : facts.get(i)) {
        // a client's explicit fact is the memory itself: it shares its vector
        pf.add(new Prepared.PreparedFact(f, m.fact() != null ? vector : vectors[next++]));
      }
      Prepared.PreparedProcedure pp = null;
      if (procedures.get(i).isPresent()) {
        pp = new Prepared.PreparedProcedure(procedures.get(i).get(), vectors[next++]);
      }
      byUser
          .computeIfAbsent(m.userId(), u -> new ArrayList<>())
          .add(new Prepared(m, vector, null, pf, pp));
    }
    return byUser;
  }
}
