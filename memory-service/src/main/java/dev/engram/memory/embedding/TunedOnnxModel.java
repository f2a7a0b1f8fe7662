package dev.engram.memory.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * A BERT-style ONNX sentence model whose ONNX Runtime session runs each text on the calling thread
 * alone ({@code intraOpThreads} = 1 by default). Parallelism comes from our own threads, one text
 * per thread: with ONNX Runtime's own intra-op pool, every concurrent run queues its parallel work
 * in that one shared pool, so a search query's single text waited behind the chunks of every ingest
 * batch in flight, and the two pools together oversubscribed the cores.
 */
final class TunedOnnxModel extends AbstractInProcessEmbeddingModel {

  private final OnnxBertBiEncoder encoder;

  private TunedOnnxModel(OnnxBertBiEncoder encoder, Executor executor) {
    super(executor);
    this.encoder = encoder;
  }

  /** Loads the model and its HuggingFace tokenizer; closes both streams. */
  static TunedOnnxModel load(
      InputStream model,
      InputStream tokenizer,
      PoolingMode pooling,
      int intraOpThreads,
      Executor executor) {
    try (model;
        tokenizer) {
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession session = environment.createSession(model.readAllBytes(), options);
      return new TunedOnnxModel(
          new OnnxBertBiEncoder(environment, session, tokenizer, pooling), executor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the embedding model", e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load the embedding model", e);
    }
  }

  @Override
  protected OnnxBertBiEncoder model() {
    return encoder;
  }
}
