package dev.engram.memory.bench;

import static org.awaitility.Awaitility.await;

import dev.engram.events.CloudEvent;
import dev.engram.events.MessageAppended;
import dev.engram.events.MessageRole;
import dev.engram.events.Sources;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.index.UserVectors;
import dev.engram.memory.index.VectorMath;
import dev.engram.memory.model.MemoryFilter;
import dev.engram.memory.service.Fusion;
import dev.engram.memory.service.SearchHit;
import dev.engram.memory.service.SearchQuery;
import dev.engram.memory.service.SearchService;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * LoCoMo retrieval quality: every conversation is published as {@code message.appended} events (one
 * user per conversation, both speakers, session dates as times), ingested by the service through
 * Kafka, then every question of categories 1-4 is searched; a hit counts for the turn (dia_id) of
 * its source message. Reports turn-level evidence recall@5/@10 of the service and of plain BM25 and
 * plain dense baselines over the same turns. {@code -Dlocomo.variants} (LOCOMO_VARIANTS) also ranks
 * every question with other ranking settings on the same memories, a row per variant (the service
 * row is the configured search, run first for each question, with its reinforcement).
 *
 * <p>Run: {@code ./engram bench memory-locomo [path/to/locomo10.json]}.
 */
@QuarkusTest
class LocomoBenchmark {

  static final int[] KS = {5, 10};

  @Inject SearchService search;
  @Inject Embedder embedder;
  @Inject MemoryConfig config;

  record Scores(double[] recall, double[] any, int[] count) {
    Scores() {
      this(new double[5 * 2], new double[5 * 2], new int[5]);
    }

    void add(int category, List<String> ranked, java.util.Set<String> evidence) {
      for (int c : new int[] {0, category}) {
        count[c]++;
        for (int i = 0; i < KS.length; i++) {
          recall[c * 2 + i] += Ranking.recall(ranked, evidence, KS[i]);
          any[c * 2 + i] += Ranking.any(ranked, evidence, KS[i]) ? 1 : 0;
        }
      }
    }

    String row(String name, int c) {
      return "| %s | %s | %d | %.3f | %.3f | %.3f | %.3f |"
          .formatted(
              name,
              c == 0 ? "1-4" : String.valueOf(c),
              count[c],
              recall[c * 2] / count[c],
              recall[c * 2 + 1] / count[c],
              any[c * 2] / count[c],
              any[c * 2 + 1] / count[c]);
    }
  }

  @Test
  void run() throws Exception {
    Path file = Locomo.defaultPath();
    List<Locomo.Sample> all = Locomo.load(file);
    // -Dlocomo.conversations=N: only N conversations (a shorter run), from the first or from
    // -Dlocomo.from=F (0-based: a set held out from the one settings were chosen on)
    int from = Math.min(all.size(), Integer.getInteger("locomo.from", 0));
    List<Locomo.Sample> samples =
        all.subList(
            from,
            Math.min(all.size(), from + Integer.getInteger("locomo.conversations", all.size())));
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<UUID, String> turnOfMessage = new HashMap<>();
    Map<Integer, String> userOf = new HashMap<>();

    long started = System.nanoTime();
    int total = 0;
    for (Locomo.Sample sample : samples) {
      String user = "locomo-" + run + "-" + sample.index();
      userOf.put(sample.index(), user);
      Map<Integer, UUID> sessions = new HashMap<>();
      for (Locomo.Turn turn : sample.turns()) {
        UUID session = sessions.computeIfAbsent(turn.session(), s -> UUID.randomUUID());
        UUID message = UUID.randomUUID();
        turnOfMessage.put(message, turn.diaId());
        EmbeddedKafka.shared()
            .publish(
                CloudEvent.of(
                    Sources.SESSION_SERVICE,
                    user,
                    new MessageAppended(
                        session,
                        message,
                        turn.sequence(),
                        MessageRole.USER,
                        turn.text(),
                        Map.of("speaker", turn.speaker()),
                        turn.at())));
        total++;
      }
    }
    int expected = total;
    await()
        .atMost(Duration.ofMinutes(30))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                TestDatabase.queryLong(
                        "engram_memory_test",
                        "select count(*) from memory where user_id like ? and type = 'EPISODIC'",
                        "locomo-" + run + "-%")
                    == expected);
    double ingestSeconds = (System.nanoTime() - started) / 1e9;

    Scores service = new Scores();
    // -Dlocomo.variants="name:key=value,...;...": ranking settings compared on the same memories
    // (keys fusion, dense, rrfk, neighbour, k1, b, speaker, k: hits asked for; the others as
    // configured)
    Map<String, Variant> variants = variants(System.getProperty("locomo.variants", ""));
    Map<String, Scores> variantScores = new java.util.LinkedHashMap<>();
    variants.keySet().forEach(name -> variantScores.put(name, new Scores()));
    Scores bm25 = new Scores();
    Scores dense = new Scores();
    // -Dlocomo.misses=true: target/bench/locomo-misses.md lists every question whose evidence is
    // not all in the service's top 10, with the evidence turns and what ranked instead
    StringBuilder misses = Boolean.getBoolean("locomo.misses") ? new StringBuilder() : null;
    for (Locomo.Sample sample : samples) {
      List<String> texts = sample.turns().stream().map(Locomo.Turn::text).toList();
      List<String> ids = sample.turns().stream().map(Locomo.Turn::diaId).toList();
      Bm25 lexical = new Bm25(texts);
      float[][] turnVectors = embedder.embedBlocking(texts);
      float[][] questionVectors =
          embedder.embedQueriesBlocking(
              sample.questions().stream().map(Locomo.Question::text).toList());
      for (int q = 0; q < sample.questions().size(); q++) {
        Locomo.Question question = sample.questions().get(q);
        List<String> ranked = serviceRanking(userOf.get(sample.index()), question, turnOfMessage);
        service.add(question.category(), ranked, question.evidence());
        if (misses != null && Ranking.recall(ranked, question.evidence(), 10) < 1) {
          misses.append(miss(sample, question, ranked));
        }
        for (Map.Entry<String, Variant> v : variants.entrySet()) {
          variantScores
              .get(v.getKey())
              .add(
                  question.category(),
                  serviceRanking(
                      userOf.get(sample.index()),
                      question,
                      turnOfMessage,
                      questionVectors[q],
                      v.getValue()),
                  question.evidence());
        }
        bm25.add(
            question.category(),
            lexical.top(question.text(), 10).stream().map(ids::get).toList(),
            question.evidence());
        double[] cos = new double[texts.size()];
        for (int t = 0; t < texts.size(); t++) {
          cos[t] = VectorMath.dot(questionVectors[q], turnVectors[t]);
        }
        dense.add(
            question.category(),
            Ranking.top(cos, 10).stream().map(ids::get).toList(),
            question.evidence());
      }
    }

    StringBuilder out = new StringBuilder();
    out.append("LoCoMo turn-level evidence recall (")
        .append(file)
        .append(", ")
        .append(samples.size())
        .append(" of ")
        .append(all.size())
        .append(" conversations, from #")
        .append(from + 1)
        .append(")\n");
    out.append("turns ingested through Kafka: ")
        .append(total)
        .append(", in %.1f s%n".formatted(ingestSeconds));
    out.append("| system | category | questions | recall@5 | recall@10 | any@5 | any@10 |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (int c = 0; c <= 4; c++) {
      out.append(service.row("memory-service (hybrid)", c)).append('\n');
    }
    for (Map.Entry<String, Scores> v : variantScores.entrySet()) {
      for (int c = 0; c <= 4; c++) {
        out.append(v.getValue().row("variant " + v.getKey(), c)).append('\n');
      }
    }
    out.append(bm25.row("plain BM25 over turns", 0)).append('\n');
    out.append(dense.row("plain dense (same model) over turns", 0)).append('\n');
    System.out.println(out);
    Files.createDirectories(Path.of("target/bench"));
    Files.writeString(Path.of("target/bench/locomo.md"), out.toString());
    if (misses != null) {
      Files.writeString(Path.of("target/bench/locomo-misses.md"), misses.toString());
    }
  }

  private static String miss(Locomo.Sample sample, Locomo.Question question, List<String> ranked) {
    Map<String, Locomo.Turn> byId = new HashMap<>();
    sample.turns().forEach(t -> byId.put(t.diaId(), t));
    StringBuilder out = new StringBuilder();
    out.append("## [")
        .append(question.category())
        .append("] ")
        .append(question.text())
        .append('\n');
    for (String id : question.evidence()) {
      Locomo.Turn t = byId.get(id);
      out.append("- evidence ")
          .append(id)
          .append(" (rank ")
          .append(ranked.indexOf(id) + 1)
          .append("): ")
          .append(t == null ? "?" : t.speaker() + ": " + t.text())
          .append('\n');
    }
    for (int i = 0; i < Math.min(10, ranked.size()); i++) {
      Locomo.Turn t = byId.get(ranked.get(i));
      out.append("  ")
          .append(i + 1)
          .append(". ")
          .append(ranked.get(i))
          .append(question.evidence().contains(ranked.get(i)) ? " *" : "")
          .append(": ")
          .append(t == null ? "?" : t.speaker() + ": " + t.text())
          .append('\n');
    }
    return out.append('\n').toString();
  }

  /** Ranking settings and the number of hits asked for (a question's k; 40 by default). */
  record Variant(Fusion.Settings settings, int k) {}

  private Map<String, Variant> variants(String spec) {
    Map<String, Variant> out = new java.util.LinkedHashMap<>();
    for (String variant : spec.split(";")) {
      if (variant.isBlank()) {
        continue;
      }
      String[] named = variant.split(":", 2);
      Fusion.Settings base = Fusion.Settings.of(config.search());
      Fusion.Method method = base.method();
      double dense = base.denseWeight();
      int rrfK = base.rrfK();
      double neighbour = base.neighbourWeight();
      float k1 = base.bm25().k1();
      float b = base.bm25().b();
      double speaker = base.speakerWeight();
      int k = K;
      for (String pair : named[1].split(",")) {
        String[] kv = pair.split("=", 2);
        switch (kv[0].trim()) {
          case "fusion" -> method = Fusion.Method.valueOf(kv[1].trim().toUpperCase());
          case "dense" -> dense = Double.parseDouble(kv[1]);
          case "rrfk" -> rrfK = Integer.parseInt(kv[1].trim());
          case "neighbour" -> neighbour = Double.parseDouble(kv[1]);
          case "k1" -> k1 = Float.parseFloat(kv[1]);
          case "b" -> b = Float.parseFloat(kv[1]);
          case "speaker" -> speaker = Double.parseDouble(kv[1]);
          case "k" -> k = Integer.parseInt(kv[1].trim());
          default -> throw new IllegalArgumentException("unknown variant key " + kv[0]);
        }
      }
      out.put(
          named[0].trim(),
          new Variant(
              new Fusion.Settings(
                  method, dense, rrfK, neighbour, new UserVectors.Bm25(k1, b), speaker),
              k));
    }
    return out;
  }

  /** Hits asked for per question (their turns in rank order are scored at 5 and 10). */
  static final int K = 40;

  private static SearchQuery query(String user, Locomo.Question question, int k) {
    return new SearchQuery(
        user,
        question.text(),
        k,
        new MemoryFilter(
            null,
            java.util.Set.of(
                dev.engram.events.MemoryState.ACTIVE, dev.engram.events.MemoryState.CONSOLIDATED),
            null,
            null,
            null));
  }

  private List<String> serviceRanking(
      String user,
      Locomo.Question question,
      Map<UUID, String> turnOfMessage,
      float[] vector,
      Variant variant) {
    return turns(
        search
            .search(query(user, question, variant.k()), vector, null, variant.settings())
            .await()
            .atMost(Duration.ofSeconds(30)),
        turnOfMessage);
  }

  private List<String> serviceRanking(
      String user, Locomo.Question question, Map<UUID, String> turnOfMessage) {
    return turns(
        search.search(query(user, question, K), null).await().atMost(Duration.ofSeconds(30)),
        turnOfMessage);
  }

  private static List<String> turns(List<SearchHit> hits, Map<UUID, String> turnOfMessage) {
    List<String> turns = new ArrayList<>();
    for (SearchHit hit : hits) {
      String turn = turnOfMessage.get(hit.memory().sourceMessageId());
      if (turn != null && !turns.contains(turn)) {
        turns.add(turn);
      }
    }
    return turns;
  }
}
