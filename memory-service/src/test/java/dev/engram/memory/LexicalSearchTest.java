package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;

import dev.engram.events.MemoryState;
import dev.engram.memory.index.ScoredId;
import dev.engram.memory.model.MemoryFilter;
import dev.engram.memory.repository.MemoryRepository;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The lexical side's BM25 statistics (kept by triggers) and its choice of candidates: a query term
 * common among the user's memories does not select candidates. The service's floor under which
 * every term selects is 500 memories; the repository is called here with a floor of 20, so that a
 * user of 41 memories shows what a user of thousands would.
 */
@QuarkusTest
class LexicalSearchTest {

  static final String DB = "engram_memory_test";

  @Inject MemoryRepository repository;

  List<ScoredId> lexical(String user, String query) {
    return repository
        .lexical(
            user,
            query,
            new MemoryFilter(
                null, Set.of(MemoryState.ACTIVE, MemoryState.CONSOLIDATED), null, null, null),
            100,
            0.05,
            20)
        .await()
        .atMost(Duration.ofSeconds(30));
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
    String df = "select df from memory_term where user_id = ? and lexeme = ?";
    assertThat(TestDatabase.queryLong(DB, df, mel, "melani")).isEqualTo(41);
    assertThat(TestDatabase.queryLong(DB, df, mel, "potteri")).isEqualTo(1);
    assertThat(
            TestDatabase.queryLong(DB, "select docs from memory_doc_stats where user_id = ?", mel))
        .isEqualTo(41);
    String pottery =
        Api.search(mel, Map.of("query", "Melanie pottery", "k", 5))
            .statusCode(200)
            .body("hits[0].memory.content", containsString("pottery class"))
            .body("hits[0].parts.lexical", greaterThan(0f))
            .extract()
            .path("hits[0].memory.id");

    // "melanie" is in every memory: only "pottery" selects, "melanie" still adds to its score
    List<ScoredId> rare = lexical(mel, "Melanie pottery");
    assertThat(rare).extracting(ScoredId::id).containsExactly(UUID.fromString(pottery));
    assertThat(rare.get(0).score()).isGreaterThan(lexical(mel, "pottery").get(0).score());
    // a query of common words only is still answered, by its rarest word ("weather", in 40)
    assertThat(lexical(mel, "Melanie weather")).hasSize(40);

    // the statistics follow deletions
    as(mel).delete("/api/v1/memories/" + pottery).then().statusCode(204);
    assertThat(TestDatabase.queryLong(DB, df, mel, "melani")).isEqualTo(40);
    assertThat(
            TestDatabase.queryLong(
                DB,
                "select count(*) from memory_term where user_id = ? and lexeme = ?",
                mel,
                "potteri"))
        .isZero();
    assertThat(lexical(mel, "pottery")).isEmpty();
  }
}
