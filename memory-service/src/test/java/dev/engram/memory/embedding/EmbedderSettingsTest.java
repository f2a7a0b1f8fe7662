package dev.engram.memory.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.config.MemoryConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which model id every vector is stored with, and which instruction a query gets. */
class EmbedderSettingsTest {

  static MemoryConfig.Embedding settings(String model, String path, String prefix) {
    return settings(model, path, prefix, Thread.MIN_PRIORITY);
  }

  static MemoryConfig.Embedding settings(
      String model, String path, String prefix, int ingestPriority) {
    return new MemoryConfig.Embedding() {
      public String model() {
        return model;
      }

      public Optional<String> queryPrefix() {
        return Optional.ofNullable(prefix);
      }

      public String modelPath() {
        return path;
      }

      public String tokenizerPath() {
        return "none";
      }

      public String pooling() {
        return "MEAN";
      }

      public int batchSize() {
        return 64;
      }

      public int threads() {
        return 2;
      }

      public int queryThreads() {
        return 2;
      }

      public int ingestPriority() {
        return ingestPriority;
      }

      public int intraOpThreads() {
        return 1;
      }

      public int reembedBatch() {
        return 32;
      }

      public String reembedEvery() {
        return "1s";
      }
    };
  }

  @Test
  void bgeSmallQueriesCarryItsInstructionAndAllMiniLmNone() {
    assertThat(Embedder.queryPrefix(settings(Embedder.BGE_SMALL, "none", null)))
        .isEqualTo("Represent this sentence for searching relevant passages: ");
    assertThat(Embedder.queryPrefix(settings(Embedder.MINILM, "none", null))).isEmpty();
    assertThat(Embedder.queryPrefix(settings("onnx", "/models/e5.onnx", "query: ")))
        .isEqualTo("query: ");
    assertThat(Embedder.queryPrefix(settings(Embedder.BGE_SMALL, "none", ""))).isEmpty();
  }

  @Test
  void vectorsAreLabelledWithTheModelThatMadeThem() {
    assertThat(Embedder.modelId(settings(Embedder.BGE_SMALL, "none", null)))
        .isEqualTo("bge-small-en-v15-q");
    assertThat(Embedder.modelId(settings(Embedder.MINILM, "none", null)))
        .isEqualTo("all-minilm-l6-v2-q");
    assertThat(Embedder.modelId(settings("onnx", "/models/e5-small-v2/model.onnx", null)))
        .isEqualTo("onnx:/models/e5-small-v2/model.onnx");
  }
}
