package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lexical side's BM25 statistics (kept by triggers) and its choice of candidates: a query term
 * common among the user's memories does not select candidates. The floor under which every term
 * selects is lowered from 500 to 20 here, so that a user of 41 memories shows what a user of
 * thousands would.
 */
@QuarkusTest
@TestProfile(LexicalSearchTest.SmallFloor.class)
class LexicalSearchTest {

  public static class SmallFloor implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("engram.memory.search.lexical-selector-floor", "20");
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
    String db = "engram_memory_test";
    String df = "select df from memory_term where user_id = ? and lexeme = ?";
    assertThat(TestDatabase.queryLong(db, df, mel, "melani")).isEqualTo(41);
    assertThat(TestDatabase.queryLong(db, df, mel, "potteri")).isEqualTo(1);
    assertThat(
            TestDatabase.queryLong(db, "select docs from memory_doc_stats where user_id = ?", mel))
        .isEqualTo(41);

    // "melanie" is in every memory: only "pottery" selects lexical candidates
    String pottery =
        Api.search(mel, Map.of("query", "Melanie pottery", "k", 5))
            .statusCode(200)
            .body("hits[0].memory.content", containsString("pottery class"))
            .body("hits[0].parts.lexical", greaterThan(0f))
            .body("hits.findAll { it.parts.lexical != null }", hasSize(1))
            .extract()
            .path("hits[0].memory.id");
    // a query of common words only is still answered lexically, by its rarest word
    Api.search(mel, Map.of("query", "Melanie weather", "k", 5))
        .statusCode(200)
        .body("hits.findAll { it.parts.lexical != null }", hasSize(5));

    // the statistics follow deletions
    as(mel).delete("/api/v1/memories/" + pottery).then().statusCode(204);
    assertThat(TestDatabase.queryLong(db, df, mel, "melani")).isEqualTo(40);
    assertThat(
            TestDatabase.queryLong(
                db,
                "select count(*) from memory_term where user_id = ? and lexeme = ?",
                mel,
                "potteri"))
        .isZero();
    Api.search(mel, Map.of("query", "pottery", "k", 5))
        .statusCode(200)
        .body("hits.findAll { it.parts.lexical != null }", hasSize(0));
  }
}
