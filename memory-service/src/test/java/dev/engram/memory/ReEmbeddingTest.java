package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.embedding.ReEmbedding;
import dev.engram.memory.index.VectorCodec;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.index.VectorMath;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An upgrade of the embedding model: memories whose vector another model made are still found (by
 * their words) and are re-embedded in the background with the current model.
 */
@QuarkusTest
class ReEmbeddingTest {

  static final String DB = "engram_memory_test";

  @Inject Embedder embedder;
  @Inject ReEmbedding reEmbedding;
  @Inject VectorIndex index;

  @Test
  void memoriesOfAnotherModelAreFoundMeanwhileAndReEmbedded() throws Exception {
    String user = Api.newUser("upgrade");
    List<String> contents =
        List.of(
            "I have a dentist appointment next Thursday at 3pm",
            "My sister Ana is visiting from Porto in May",
            "We booked a cabin in the Alps for the Christmas holidays");
    List<String> ids = new ArrayList<>();
    for (String content : contents) {
      ids.add(Api.create(user, content));
    }
    assertThat(
            TestDatabase.queryLong(
                DB,
                "select count(*) from memory where user_id = ? and embedding_model = ?",
                user,
                embedder.modelId()))
        .isEqualTo(3);
    Map<String, float[]> original = vectors(user);
    // the scan at start-up found nothing to do: this replica is idle until told to look again
    await().atMost(Duration.ofSeconds(30)).until(reEmbedding::done);

    // as if another model had made these vectors
    float[] foreign = new float[embedder.dimension()];
    java.util.Arrays.fill(foreign, (float) (1 / Math.sqrt(foreign.length)));
    TestDatabase.execute(
        DB,
        "update memory set embedding_model = 'retired-model', embedding = ? where user_id = ?",
        VectorCodec.toBytes(foreign),
        user);
    index.forget(user).await().atMost(Duration.ofSeconds(30));

    // found by their words meanwhile
    Api.search(user, Map.of("query", "when is the dentist appointment?", "k", 3))
        .statusCode(200)
        .body("hits[0].memory.content", containsString("dentist"));

    reEmbedding.rescan();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                TestDatabase.queryLong(
                        DB,
                        "select count(*) from memory where user_id = ? and embedding_model = ?",
                        user,
                        embedder.modelId())
                    == 3);
    Map<String, float[]> after = vectors(user);
    for (String id : ids) {
      // the same text through the same model: the vector it had at ingest
      assertThat(VectorMath.dot(after.get(id), original.get(id))).isGreaterThan(0.999f);
    }
    await().atMost(Duration.ofSeconds(30)).until(reEmbedding::done);

    // and found by meaning again, with words the memory does not contain: the closest vector
    List<Map<String, Object>> hits =
        as(user)
            .body(Map.of("query", "who is coming to see me from Portugal?", "k", 3))
            .post("/api/v1/memories/search")
            .then()
            .statusCode(200)
            .extract()
            .path("hits");
    Map<String, Object> closest =
        hits.stream()
            .max(
                java.util.Comparator.comparingDouble(
                    h -> ((Number) ((Map<?, ?>) h.get("parts")).get("dense")).doubleValue()))
            .orElseThrow();
    assertThat(((Map<?, ?>) closest.get("memory")).get("content").toString()).contains("Porto");
    assertThat(((Number) ((Map<?, ?>) closest.get("parts")).get("dense")).doubleValue())
        .isGreaterThan(0.3);
  }

  static Map<String, float[]> vectors(String user) throws Exception {
    Map<String, float[]> out = new HashMap<>();
    try (var c = TestDatabase.connect(DB);
        var s = c.prepareStatement("select id, embedding from memory where user_id = ?")) {
      s.setString(1, user);
      try (var rows = s.executeQuery()) {
        while (rows.next()) {
          out.put(rows.getString(1), VectorCodec.fromBytes(rows.getBytes(2)));
        }
      }
    }
    return out;
  }
}
