package dev.engram.memory.embedding;

import dev.engram.memory.bench.Locomo;
import dev.engram.memory.index.VectorMath;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * How the cosine similarities of two models compare, for thresholds tuned on one of them (cluster
 * join, merge and split, repetition): the similarity of each model at the same quantile of all the
 * pairs, and of the nearest earlier turn, over LoCoMo turns as ingest embeds them (speaker: text).
 *
 * <p>Run: {@code ./mvnw -pl memory-service test -Dtest=SimilarityCalibrationBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; writes {@code target/bench/similarity.md}.
 */
class SimilarityCalibrationBenchmark {

  static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999, 0.9999};
  static final double[] THRESHOLDS = {0.5, 0.55, 0.8, 0.92};

  @Test
  void run() throws Exception {
    List<Locomo.Turn> turns = Locomo.load(Locomo.defaultPath()).get(0).turns();
    List<String> texts = new ArrayList<>();
    for (Locomo.Turn t : turns.subList(0, Math.min(500, turns.size()))) {
      texts.add(t.speaker() + ": " + t.text());
    }
    var threads = Executors.newFixedThreadPool(2);
    float[][] minilm = embed(minilm(threads), texts);
    float[][] bge = embed(bge(threads), texts);
    double[] pairsA = pairs(minilm);
    double[] pairsB = pairs(bge);
    double[] nearestA = nearest(minilm);
    double[] nearestB = nearest(bge);
    StringBuilder out = new StringBuilder();
    out.append(
        "Cosine similarity, %d LoCoMo turns (speaker: text), all-MiniLM-L6-v2-q vs bge-small-en-v1.5-q%n"
            .formatted(texts.size()));
    out.append("| measure | quantile | all-MiniLM | bge-small |\n|---|---|---|---|\n");
    for (double q : QUANTILES) {
      out.append("| all pairs | %s | %.3f | %.3f |%n".formatted(q, at(pairsA, q), at(pairsB, q)));
    }
    for (double q : QUANTILES) {
      out.append(
          "| nearest earlier turn | %s | %.3f | %.3f |%n"
              .formatted(q, at(nearestA, q), at(nearestB, q)));
    }
    out.append(
        "\n| all-MiniLM threshold | its quantile, all pairs | bge-small at that quantile | its quantile, nearest | bge-small at that quantile |\n|---|---|---|---|---|\n");
    for (double t : THRESHOLDS) {
      double qp = quantileOf(pairsA, t);
      double qn = quantileOf(nearestA, t);
      out.append(
          "| %.2f | %.5f | %.3f | %.4f | %.3f |%n"
              .formatted(t, qp, at(pairsB, qp), qn, at(nearestB, qn)));
    }
    // pairs from the cluster tests: what one topic and two topics look like to each model
    List<String> probe =
        List.of(
            "The sourdough starter needs feeding twice a day",
            "Fed the sourdough starter with rye flour today",
            "Practised scales on the piano for an hour",
            "Learned a new Chopin nocturne on the piano",
            "The piano teacher praised my left hand",
            "Changed the oil and filters on the motorbike",
            "The motorbike chain needs tightening",
            "Replaced the motorbike brake pads");
    float[][] pa = embed(minilm(threads), probe);
    float[][] pb = embed(bge(threads), probe);
    out.append("\n| probe pair | all-MiniLM | bge-small |\n|---|---|---|\n");
    int[][] pairs = {{0, 1}, {2, 3}, {2, 4}, {5, 6}, {5, 7}, {0, 2}, {2, 5}, {3, 6}};
    for (int[] p : pairs) {
      out.append(
          "| %s / %s | %.3f | %.3f |%n"
              .formatted(
                  probe.get(p[0]),
                  probe.get(p[1]),
                  VectorMath.dot(pa[p[0]], pa[p[1]]),
                  VectorMath.dot(pb[p[0]], pb[p[1]])));
    }
    out.append(
        "| centroid piano / centroid motorbike | %.3f | %.3f |%n"
            .formatted(centroids(pa), centroids(pb)));
    System.out.println(out);
    Files.createDirectories(Path.of("target/bench"));
    Files.writeString(Path.of("target/bench/similarity.md"), out.toString());
    threads.shutdownNow();
  }

  static EmbeddingModel minilm(java.util.concurrent.Executor threads) {
    return Embedder.bundled(Embedder.MINILM, 1, threads);
  }

  static EmbeddingModel bge(java.util.concurrent.Executor threads) {
    return Embedder.bundled(Embedder.BGE_SMALL, 1, threads);
  }

  static double centroids(float[][] v) {
    float[] a = new float[v[0].length];
    float[] b = new float[v[0].length];
    for (int d = 0; d < a.length; d++) {
      a[d] = v[2][d] + v[3][d] + v[4][d];
      b[d] = v[5][d] + v[6][d] + v[7][d];
    }
    return VectorMath.dot(Embedder.normalized(a), Embedder.normalized(b));
  }

  static float[][] embed(EmbeddingModel model, List<String> texts) {
    float[][] out = new float[texts.size()][];
    var embeddings = model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
    for (int i = 0; i < out.length; i++) {
      out[i] = Embedder.normalized(embeddings.get(i).vector());
    }
    return out;
  }

  static double[] pairs(float[][] v) {
    double[] out = new double[v.length * (v.length - 1) / 2];
    int n = 0;
    for (int i = 0; i < v.length; i++) {
      for (int j = i + 1; j < v.length; j++) {
        out[n++] = VectorMath.dot(v[i], v[j]);
      }
    }
    Arrays.sort(out);
    return out;
  }

  static double[] nearest(float[][] v) {
    double[] out = new double[v.length - 1];
    for (int i = 1; i < v.length; i++) {
      double best = -1;
      for (int j = 0; j < i; j++) {
        best = Math.max(best, VectorMath.dot(v[i], v[j]));
      }
      out[i - 1] = best;
    }
    Arrays.sort(out);
    return out;
  }

  static double at(double[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  static double quantileOf(double[] sorted, double value) {
    int i = Arrays.binarySearch(sorted, value);
    int pos = i >= 0 ? i : -i - 1;
    return (double) pos / sorted.length;
  }
}
