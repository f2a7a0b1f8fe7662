package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;

import dev.engram.memory.index.ScoredId;
import dev.engram.memory.index.UserVectors;
import dev.engram.memory.index.VectorFilter;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.service.SearchService;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The lexical side of search: the terms PostgreSQL makes of each memory (its stored tsvector) held
 * in the user's in-memory index, at ingest, after a reload from Redis and after one from the
 * database, with BM25 statistics that follow deletions.
 */
@QuarkusTest
class LexicalSearchTest {

  @Inject VectorIndex index;
  @Inject SearchService search;

  UserVectors vectors(String user) {
    return index.vectors(user).await().atMost(Duration.ofSeconds(30));
  }

  List<ScoredId> lexical(String user, String query) {
    String[] lexemes = search.lexemes(query).await().atMost(Duration.ofSeconds(30));
    return vectors(user).lexical(lexemes, 100, VectorFilter.live(), UserVectors.Bm25.STANDARD);
  }

  @Test
  void theQueryAndTheMemoriesAreStemmedAlike() throws Exception {
    String question = "When did Melanie sign up for the pottery classes? Classes!";
    // the words' cached lexemes are those PostgreSQL makes of the whole text
    assertThat(search.lexemes(question).await().atMost(Duration.ofSeconds(30)))
        .containsExactlyInAnyOrder(textLexemes(question))
        .containsExactlyInAnyOrder("melani", "sign", "potteri", "class");
    // asked again, from the cache
    assertThat(search.lexemes("pottery classes, Melanie").await().atMost(Duration.ofSeconds(30)))
        .containsExactlyInAnyOrder("potteri", "class", "melani");
    assertThat(search.lexemes("the of and ?").await().atMost(Duration.ofSeconds(30))).isEmpty();
  }

  static String[] textLexemes(String text) throws Exception {
    try (var c = TestDatabase.connect("engram_memory_test");
        var s = c.prepareStatement("select lexeme from unnest(to_tsvector('english', ?))")) {
      s.setString(1, text);
      List<String> out = new ArrayList<>();
      try (var rows = s.executeQuery()) {
        while (rows.next()) {
          out.add(rows.getString(1));
        }
      }
      return out.toArray(String[]::new);
    }
  }

  @Test
  void aCommonWordNeitherDrownsNorHidesTheRareOne() {
    String mel = Api.newUser("bm25");
    List<Map<String, Object>> memories = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      memories.add(Map.of("content", "Melanie talked about the weather again, day " + i));
    }
    memories.add(Map.of("content", "Melanie signed up for a pottery class on Saturdays"));
    as(mel)
        .body(Map.of("memories", memories))
        .urlEncodingEnabled(false)
        .post("/api/v1/memories:batch")
        .then()
        .statusCode(201);
    // the terms came back with the inserts
    assertThat(vectors(mel).documentFrequency("melani")).isEqualTo(41);
    assertThat(vectors(mel).documentFrequency("potteri")).isEqualTo(1);
    String pottery =
        Api.search(mel, Map.of("query", "Melanie pottery", "k", 5))
            .statusCode(200)
            .body("hits[0].memory.content", containsString("pottery class"))
            .body("hits[0].parts.lexical", greaterThan(0f))
            .extract()
            .path("hits[0].memory.id");

    // "melanie" is in every memory and weighs little; it still adds to the pottery memory's score
    List<ScoredId> rare = lexical(mel, "Melanie pottery");
    assertThat(rare.get(0).id()).isEqualTo(UUID.fromString(pottery));
    assertThat(rare.get(0).score()).isGreaterThan(lexical(mel, "pottery").get(0).score());
    assertThat(rare.get(0).score()).isGreaterThan(5 * rare.get(1).score());
    // a query of common words is answered by every memory holding them, best first
    List<ScoredId> weather = lexical(mel, "Melanie weather");
    assertThat(weather).hasSize(41);
    assertThat(weather.get(40).id()).isEqualTo(UUID.fromString(pottery));

    // the same scores after a reload from Redis, and after one from PostgreSQL (rows come back in
    // another order there, so memories of equal score may too)
    index.flushDirty().await().atMost(Duration.ofSeconds(30));
    index.evictLocal(mel);
    assertThat(lexical(mel, "Melanie pottery")).containsExactlyInAnyOrderElementsOf(rare);
    assertThat(index.forget(mel).await().atMost(Duration.ofSeconds(30))).isTrue();
    assertThat(index.holdsLocally(mel)).isFalse();
    assertThat(lexical(mel, "Melanie pottery")).containsExactlyInAnyOrderElementsOf(rare);
    assertThat(lexical(mel, "Melanie weather")).containsExactlyInAnyOrderElementsOf(weather);

    // the statistics follow deletions
    as(mel).delete("/api/v1/memories/" + pottery).then().statusCode(204);
    assertThat(vectors(mel).documentFrequency("melani")).isEqualTo(40);
    assertThat(vectors(mel).documentFrequency("potteri")).isZero();
    assertThat(lexical(mel, "pottery")).isEmpty();
    Api.search(mel, Map.of("query", "pottery", "k", 5))
        .statusCode(200)
        .body(
            "hits.memory.content",
            org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(containsString("pottery"))));
  }
}
