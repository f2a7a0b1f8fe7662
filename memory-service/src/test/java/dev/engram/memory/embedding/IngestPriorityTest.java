package dev.engram.memory.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.config.MemoryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ingest embeds at the configured thread priority, which the JVM (started with the options of the
 * image and the local run, as the build starts the tests) turns into the threads' nice value; the
 * query threads keep the normal one. A Quarkus test for the class loader only (the model's native
 * tokenizer can be loaded by one class loader per JVM); it makes Embedders of its own.
 */
@QuarkusTest
class IngestPriorityTest {

  private static final Duration LOAD = Duration.ofMinutes(2);

  @Inject Embedder application;

  @BeforeEach
  void theApplicationsModelThreadsAreStartedAlready() {
    // so that only the Embedders made here start threads while a test runs
    application.embed(List.of("one", "two", "three")).await().atMost(LOAD);
  }

  @Test
  void ingestRunsTheModelOnlyOnThreadsAtTheLowestPriorityAndNice19() {
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .as("the tests run with the JVM options of the image (memory-service/pom.xml)")
        .contains("-XX:ThreadPriorityPolicy=1", "-XX:JavaPriority1_To_OSPriority=19");
    Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
    Map<Integer, String> tasksBefore = tasks();
    Embedder embedder = new Embedder(settings(Thread.MIN_PRIORITY), new SimpleMeterRegistry());
    try {
      embedder.embed(List.of("a single ingested message")).await().atMost(LOAD);
      assertThat(newThreads(threadsBefore, "embedding-model-"))
          .as("a single text is embedded on a model thread too, not on the batch thread")
          .isNotEmpty()
          .allSatisfy(t -> assertThat(t.getPriority()).isEqualTo(Thread.MIN_PRIORITY));
      embedder.embed(List.of("one", "two", "three")).await().atMost(LOAD);
      embedder.embedQuery("what did I say?").await().atMost(LOAD);

      assertThat(newThreads(threadsBefore, "embedding-model-"))
          .hasSize(2)
          .allSatisfy(t -> assertThat(t.getPriority()).isEqualTo(Thread.MIN_PRIORITY));
      assertThat(newThreads(threadsBefore, "embedding-query-"))
          .isNotEmpty()
          .allSatisfy(t -> assertThat(t.getPriority()).isEqualTo(Thread.NORM_PRIORITY));
      assertThat(newThreads(threadsBefore, "embedding-batch-"))
          .isNotEmpty()
          .allSatisfy(t -> assertThat(t.getPriority()).isEqualTo(Thread.NORM_PRIORITY));

      Map<String, List<Integer>> nice = niceOfNewTasks(tasksBefore);
      // the kernel keeps 15 characters of a thread's name
      assertThat(nice.get("embedding-model")).hasSize(2).containsOnly(19);
      assertThat(nice.get("embedding-query")).isNotEmpty().containsOnly(0);
      assertThat(nice.get("embedding-batch")).isNotEmpty().containsOnly(0);
    } finally {
      embedder.close();
    }
  }

  @Test
  void theNormalPriorityLeavesIngestAtTheNiceOfEveryOtherThread() {
    Map<Integer, String> tasksBefore = tasks();
    Embedder embedder = new Embedder(settings(Thread.NORM_PRIORITY), new SimpleMeterRegistry());
    try {
      embedder.embed(List.of("one", "two")).await().atMost(LOAD);

      assertThat(niceOfNewTasks(tasksBefore).get("embedding-model")).hasSize(2).containsOnly(0);
    } finally {
      embedder.close();
    }
  }

  private static List<Thread> newThreads(Set<Thread> before, String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.getName().startsWith(prefix))
        .toList();
  }

  /** The process's threads (tasks) by id, with their names. */
  private static Map<Integer, String> tasks() {
    Map<Integer, String> tasks = new HashMap<>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc/self/task"))) {
      for (Path dir : dirs.toList()) {
        String stat = stat(dir);
        if (stat != null) {
          tasks.put(
              Integer.parseInt(dir.getFileName().toString()),
              stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tasks;
  }

  /** The nice values of the threads started since {@code before}, by thread name. */
  private static Map<String, List<Integer>> niceOfNewTasks(Map<Integer, String> before) {
    Map<String, List<Integer>> nice = new HashMap<>();
    for (Map.Entry<Integer, String> task : tasks().entrySet()) {
      if (before.containsKey(task.getKey())) {
        continue;
      }
      String stat = stat(Path.of("/proc/self/task", task.getKey().toString()));
      if (stat != null) {
        // the fields after the name: state is the first, nice the 17th (proc(5): field 19)
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        nice.computeIfAbsent(task.getValue(), n -> new ArrayList<>())
            .add(Integer.parseInt(fields[16]));
      }
    }
    return nice;
  }

  private static String stat(Path task) {
    try {
      return Files.readString(task.resolve("stat"));
    } catch (IOException e) {
      return null; // the thread ended
    }
  }

  private static MemoryConfig.Embedding settings(int ingestPriority) {
    return EmbedderSettingsTest.settings(Embedder.BGE_SMALL, "none", null, ingestPriority);
  }
}
