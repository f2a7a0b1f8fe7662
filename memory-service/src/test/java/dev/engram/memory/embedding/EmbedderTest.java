package dev.engram.memory.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EmbedderTest {

  @Inject Embedder embedder;
  @Inject MeterRegistry registry;

  @Test
  void aQueryIsEmbeddedWhileIngestBatchesOccupyEveryIngestThread() {
    embedder.embed("the model is loaded").await().atMost(Duration.ofMinutes(2));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      texts.add("ingested message number " + i + " about the weather, dogs and holidays");
    }
    // More batches than ingest threads: the later ones queue behind the earlier ones.
    List<CompletableFuture<float[][]>> ingest = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ingest.add(embedder.embed(texts).subscribeAsCompletionStage().toCompletableFuture());
    }

    float[] query =
        embedder.embedQuery("what did I say about dogs?").await().atMost(Duration.ofMinutes(2));

    assertThat(ingest)
        .as("the query did not wait for the queued batches")
        .noneMatch(f -> f.isDone());
    assertThat(query).hasSize(embedder.dimension());
    assertThat(query)
        .as("the same vector as the ingest path gives for the query with its instruction")
        .containsExactly(
            embedder
                .embed(embedder.queryInstruction() + "what did I say about dogs?")
                .await()
                .indefinitely());
    // cancelling would not stop them: the batches would go on in the background and count in
    // the next test's model runs
    ingest.forEach(CompletableFuture::join);
  }

  @Test
  void theSameQueryAskedTwiceAtOnceIsEmbeddedOnceAndEachCallerGetsItsOwnVector() {
    embedder.embed("the model is loaded").await().atMost(Duration.ofMinutes(2));
    String text = "how do I bake sourdough bread? " + System.nanoTime();
    double batchesBefore = batches();

    CompletableFuture<float[]> first =
        embedder.embedQuery(text).subscribeAsCompletionStage().toCompletableFuture();
    CompletableFuture<float[]> second =
        embedder.embedQuery(text).subscribeAsCompletionStage().toCompletableFuture();
    float[] a = first.join();
    float[] b = second.join();

    assertThat(b).containsExactly(a);
    assertThat(batches() - batchesBefore)
        .as("one model run for both (the second asked while the first was being made)")
        .isEqualTo(1);
    a[0] = 42;
    assertThat(b[0]).isNotEqualTo(42);
    assertThat(embedder.embedQuery(text).await().atMost(Duration.ofMinutes(2)))
        .as("nothing is kept once made: asked again, it is embedded again, the same")
        .containsExactly(b);
    assertThat(batches() - batchesBefore).isEqualTo(2);
  }

  private double batches() {
    return registry.timer("engram.memory.embedding.batch").count();
  }
}
