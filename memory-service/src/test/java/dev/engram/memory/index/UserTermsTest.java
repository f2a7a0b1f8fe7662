package dev.engram.memory.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The lexical side of a user's index: BM25 over the terms held next to the vectors. */
class UserTermsTest {

  static final int DIM = 4;
  static final int MODEL = VectorCodec.modelTag("bge-small-en-v15-q");

  static VectorEntry memory(MemoryState state, String... termsAndCounts) {
    String[] lexemes = new String[termsAndCounts.length];
    int[] counts = new int[termsAndCounts.length];
    for (int i = 0; i < termsAndCounts.length; i++) {
      String[] parts = termsAndCounts[i].split(":");
      lexemes[i] = parts[0];
      counts[i] = Integer.parseInt(parts[1]);
    }
    return new VectorEntry(
        UUID.randomUUID(),
        MemoryType.EPISODIC,
        state,
        Instant.parse("2026-01-01T00:00:00Z"),
        null,
        new float[] {1, 0, 0, 0},
        new TermCounts(lexemes, counts));
  }

  static List<ScoredId> lexical(UserVectors v, String... query) {
    return v.lexical(query, 10, VectorFilter.live(), UserVectors.Bm25.STANDARD);
  }

  // four memories, 9 distinct lexemes in all: mean length 2.25
  final VectorEntry pottery = memory(MemoryState.ACTIVE, "potteri:1", "class:1", "melani:1");
  final VectorEntry windy = memory(MemoryState.ACTIVE, "melani:1", "weather:2", "talk:1");
  final VectorEntry sunny = memory(MemoryState.ACTIVE, "melani:1", "weather:1");
  final VectorEntry sailing = memory(MemoryState.ACTIVE, "sail:3");

  UserVectors user() {
    UserVectors v = new UserVectors(DIM, 0, 1);
    v.put(List.of(pottery, windy, sunny, sailing));
    return v;
  }

  @Test
  void ranksByBm25OverTheUsersOwnStatistics() {
    // worked by hand: idf(potteri) = ln(1 + 3.5/1.5) = 1.20397, idf(melani) = ln(1 + 1.5/3.5) =
    // 0.35667; a 3-lexeme memory normalises tf = 1 to 2.2/(1 + 1.2·(0.25 + 0.75·3/2.25)) = 0.88, a
    // 2-lexeme one to 2.2/(1 + 1.1) = 1.04762
    List<ScoredId> hits = lexical(user(), "melani", "potteri");
    assertThat(hits).extracting(ScoredId::id).containsExactly(pottery.id(), sunny.id(), windy.id());
    assertThat(hits.get(0).score()).isCloseTo(1.37337f, within(1e-4f));
    assertThat(hits.get(1).score()).isCloseTo(0.37366f, within(1e-4f));
    assertThat(hits.get(2).score()).isCloseTo(0.31387f, within(1e-4f));
    // term frequency saturates: weather twice in a 3-lexeme memory beats once in a 2-lexeme one
    assertThat(lexical(user(), "weather"))
        .extracting(ScoredId::id)
        .containsExactly(windy.id(), sunny.id());
    assertThat(lexical(user(), "unknown", "words")).isEmpty();
    assertThat(lexical(user())).isEmpty();
  }

  @Test
  void statisticsFollowReplacementsAndRemovals() {
    UserVectors v = user();
    assertThat(v.documentFrequency("melani")).isEqualTo(3);
    // the same memory stored again with other terms replaces its terms
    VectorEntry rewritten =
        new VectorEntry(
            sunny.id(),
            sunny.type(),
            sunny.state(),
            sunny.occurredAt(),
            null,
            sunny.vector(),
            new TermCounts(new String[] {"sail"}, new int[] {1}));
    v.put(List.of(rewritten));
    assertThat(v.documentFrequency("melani")).isEqualTo(2);
    assertThat(v.documentFrequency("weather")).isEqualTo(1);
    assertThat(v.documentFrequency("sail")).isEqualTo(2);
    // removing the first row moves the last (sailing) into its place, terms included
    v.remove(List.of(pottery.id()));
    assertThat(v.documentFrequency("potteri")).isZero();
    assertThat(v.documentFrequency("melani")).isEqualTo(1);
    assertThat(lexical(v, "potteri")).isEmpty();
    assertThat(lexical(v, "sail"))
        .extracting(ScoredId::id)
        .containsExactlyInAnyOrder(sailing.id(), sunny.id());
    assertThat(lexical(v, "sail").get(0).id()).isEqualTo(sailing.id()); // three times
  }

  @Test
  void searchesOnlyWhatTheFilterLetsThrough() {
    UserVectors v = user();
    v.state(pottery.id(), MemoryState.ARCHIVED);
    assertThat(lexical(v, "potteri")).isEmpty();
    // an archived memory still counts among the user's documents
    assertThat(v.documentFrequency("potteri")).isEqualTo(1);
    VectorFilter withArchived =
        new VectorFilter(
            VectorFilter.all(MemoryType.values().length),
            VectorFilter.all(MemoryState.values().length),
            null,
            Long.MIN_VALUE,
            Long.MAX_VALUE);
    assertThat(v.lexical(new String[] {"potteri"}, 10, withArchived, UserVectors.Bm25.STANDARD))
        .extracting(ScoredId::id)
        .containsExactly(pottery.id());
  }

  @Test
  void aSplitScanFindsWhatOneScanFinds() {
    UserVectors v = new UserVectors(DIM, 0, 1);
    List<VectorEntry> many =
        java.util.stream.IntStream.range(0, 500)
            .mapToObj(
                i ->
                    memory(
                        MemoryState.ACTIVE, "word" + (i % 7) + ":" + (1 + i % 3), "n" + i + ":1"))
            .toList();
    v.put(many);
    String[] query = {"word3", "word5", "n42"};
    assertThat(v.lexicalScan(query, 20, VectorFilter.live(), Runnable::run, 100))
        .isEqualTo(v.lexicalScan(query, 20, VectorFilter.live(), null, Integer.MAX_VALUE));
  }

  @Test
  void termsSurviveTheRedisEncoding() {
    UserVectors v = user();
    v.remove(List.of(windy.id()));
    byte[] blob = v.encode(MODEL);
    UserVectors decoded = VectorCodec.decode(blob, DIM, MODEL);
    assertThat(decoded).isNotNull();
    for (String[] query :
        List.of(
            new String[] {"melani", "potteri"}, new String[] {"weather"}, new String[] {"sail"})) {
      assertThat(lexical(decoded, query)).isEqualTo(lexical(v, query));
    }
    assertThat(decoded.documentFrequency("melani")).isEqualTo(2);
    assertThat(decoded.documentFrequency("talk")).isZero();
    // a new memory after decoding joins the same dictionary
    decoded.put(List.of(memory(MemoryState.ACTIVE, "potteri:2")));
    assertThat(decoded.documentFrequency("potteri")).isEqualTo(2);
    // truncated or padded bytes are not taken for a user's index
    assertThat(VectorCodec.decode(Arrays.copyOf(blob, blob.length - 3), DIM, MODEL)).isNull();
    assertThat(VectorCodec.decode(Arrays.copyOf(blob, blob.length + 4), DIM, MODEL)).isNull();
  }

  @Test
  void theInvertedIndexRanksAsTheScanOfEveryRow() {
    java.util.Random random = new java.util.Random(7);
    UserVectors v = new UserVectors(DIM, 0, 1);
    List<VectorEntry> all = new java.util.ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      int words = 1 + random.nextInt(12);
      String[] terms = new String[words];
      for (int w = 0; w < words; w++) {
        // a skewed vocabulary: a few common words, many rare ones (no repeats within a memory)
        terms[w] =
            "w" + (int) Math.pow(random.nextInt(60), 2) + "_" + w + ":" + (1 + random.nextInt(3));
      }
      VectorEntry e =
          memory(random.nextInt(10) == 0 ? MemoryState.DECAYED : MemoryState.ACTIVE, terms);
      all.add(e);
    }
    v.put(all);
    // removals move the last rows into the holes; replacements re-index a row in place
    v.remove(all.stream().filter(e -> random.nextInt(5) == 0).map(VectorEntry::id).toList());
    List<VectorEntry> replaced =
        all.subList(0, 300).stream()
            .map(
                e ->
                    new VectorEntry(
                        e.id(),
                        e.type(),
                        e.state(),
                        e.occurredAt(),
                        null,
                        e.vector(),
                        new TermCounts(new String[] {"w0_0", "w1_1"}, new int[] {2, 1})))
            .toList();
    v.put(replaced);
    UserVectors decoded = VectorCodec.decode(v.encode(MODEL), DIM, MODEL);
    int answered = 0;
    for (int q = 0; q < 200; q++) {
      String[] query = new String[1 + random.nextInt(4)];
      for (int w = 0; w < query.length; w++) {
        query[w] = "w" + (int) Math.pow(random.nextInt(60), 2) + "_" + random.nextInt(12);
      }
      VectorFilter filter =
          q % 2 == 0
              ? VectorFilter.live()
              : new VectorFilter(
                  VectorFilter.all(MemoryType.values().length),
                  VectorFilter.all(MemoryState.values().length),
                  null,
                  Long.MIN_VALUE,
                  Long.MAX_VALUE);
      List<ScoredId> scan = v.lexicalScan(query, 10, filter, null, Integer.MAX_VALUE);
      answered += scan.size() == 10 ? 1 : 0;
      for (UserVectors index : List.of(v, decoded)) {
        List<ScoredId> inverted = index.lexical(query, 10, filter, UserVectors.Bm25.STANDARD);
        assertThat(inverted).hasSameSizeAs(scan);
        for (int i = 0; i < scan.size(); i++) {
          assertThat(inverted.get(i).score()).isCloseTo(scan.get(i).score(), within(1e-4f));
        }
        // the same memories, but for ties at the cut
        float last = scan.isEmpty() ? 0 : scan.get(scan.size() - 1).score();
        assertThat(
                inverted.stream()
                    .filter(h -> h.score() > last + 1e-4f)
                    .map(ScoredId::id)
                    .collect(java.util.stream.Collectors.toSet()))
            .isEqualTo(
                scan.stream()
                    .filter(h -> h.score() > last + 1e-4f)
                    .map(ScoredId::id)
                    .collect(java.util.stream.Collectors.toSet()));
      }
    }
    assertThat(answered).as("queries with a full page of hits").isGreaterThan(50);
  }
}
