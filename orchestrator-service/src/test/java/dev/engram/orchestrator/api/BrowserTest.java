package dev.engram.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.events.CloudEvent;
import dev.engram.events.MemoryCreated;
import dev.engram.events.MemoryReinforced;
import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.events.ReinforcementReason;
import dev.engram.events.Sources;
import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web UI in a real browser: Debian's headless Chromium driven by playwright-core (the script is
 * {@code src/main/webui/e2e/chat.e2e.mjs}). It sends a message, sees the answer stream in (token
 * frames before done) and the working-memory panel update, then sees a memory created by
 * "memory-service" (published here on Kafka) appear in the memory panel, checks the memory list
 * stays virtual with 10,000 memories, that a second tab sees the first tab's turn live, and that a
 * tab that missed a turn and is told to resync shows it (history and working set reloaded), and
 * that the strength chart shows memory-service's strength history (seeded here in its stand-in), a
 * memory's forgetting curve, and a point added live by a reinforcement published here. The
 * screenshot is kept at {@code target/browser/chat.png}.
 */
@QuarkusTest
class BrowserTest {

  private static final Path WEBUI = Path.of("src/main/webui");
  private static final Path SCREENSHOT = Path.of("target/browser/chat.png");

  @TestHTTPResource("/app/")
  URI app;

  @Test
  void chatStreamsAndTheMemoryPanelsUpdate() throws Exception {
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    assertThat(Path.of(chromium))
        .as("Chromium is needed for the browser test (apt-get install chromium; .ci/run does)")
        .isExecutable();
    assertThat(WEBUI.resolve("node_modules/playwright-core"))
        .as("the Maven build installs the web UI's npm packages")
        .isDirectory();
    String user = Broker.freshUser("browser");
    Files.createDirectories(SCREENSHOT.getParent());
    Files.deleteIfExists(SCREENSHOT);

    ProcessBuilder builder =
        new ProcessBuilder("node", "e2e/chat.e2e.mjs")
            .directory(WEBUI.toFile())
            .redirectErrorStream(true);
    builder.environment().put("ENGRAM_URL", app + "#token=" + TestTokens.forUser(user));
    builder.environment().put("CHROMIUM", chromium);
    builder.environment().put("SCREENSHOT", SCREENSHOT.toAbsolutePath().toString());
    StrengthSeed strength = StrengthSeed.seed(user);
    builder.environment().put("STRENGTH", strength.expected().encode());
    Process node = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader lines =
                      new BufferedReader(
                          new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                    lines.lines().forEach(output::add);
                  } catch (Exception e) {
                    output.add("reader: " + e);
                  }
                });
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> output.contains("ANSWERED") || !node.isAlive());
      assertThat(output).as(String.join("\n", output)).contains("ANSWERED");

      Instant now = Instant.now();
      EmbeddedKafka.shared()
          .publish(
              CloudEvent.of(
                  Sources.MEMORY_SERVICE,
                  user,
                  new MemoryCreated(
                      UUID.randomUUID(),
                      MemoryType.EPISODIC,
                      "Planning a trip to Kyoto in April; loves temples",
                      null,
                      null,
                      0.7,
                      0.6,
                      MemoryState.ACTIVE,
                      null,
                      now,
                      now)));

      strength.reinforceWhenAsked(user, output, node);

      assertThat(node.waitFor(90, TimeUnit.SECONDS)).as("the browser script finished").isTrue();
      reader.join(5000);
      assertThat(node.exitValue()).as(String.join("\n", output)).isZero();
      assertThat(output).contains("PASSED");
      assertThat(SCREENSHOT).isNotEmptyFile();
    } finally {
      node.destroyForcibly();
    }
  }

  // ---- strength over time (chat.e2e.mjs: strengthOverTime) ----

  /**
   * What the strength chart is checked against: a history of three samples of ACTIVE episodic
   * memories and one of CONSOLIDATED semantic ones in memory-service's stand-in, and a memory whose
   * forgetting curve is known (strength 0.8 two days ago, τ 10 days).
   */
  record StrengthSeed(UUID memoryId, JsonObject expected) {

    static StrengthSeed seed(String user) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      JsonArray active = new JsonArray();
      for (int days = 3; days >= 1; days--) {
        Instant at = now.minus(Duration.ofDays(days));
        double mean = 0.4 + 0.1 * days;
        Fixtures.memories().addStrengthSample(user, at, "EPISODIC", "ACTIVE", 2, mean);
        active.add(new JsonObject().put("at", at.toString()).put("value", mean));
      }
      Instant consolidated = now.minus(Duration.ofHours(30));
      Fixtures.memories().addStrengthSample(user, consolidated, "SEMANTIC", "CONSOLIDATED", 1, 0.9);
      Instant reinforcedAt = now.minus(Duration.ofDays(2));
      UUID id =
          Fixtures.memories()
              .addMemory(
                  user, "The ryokan in Nara serves breakfast at seven", 0.8, reinforcedAt, 10);
      return new StrengthSeed(
          id,
          new JsonObject()
              .put("memoryId", id.toString())
              .put(
                  "history",
                  new JsonObject()
                      .put("ACTIVE", active)
                      .put(
                          "CONSOLIDATED",
                          new JsonArray()
                              .add(
                                  new JsonObject()
                                      .put("at", consolidated.toString())
                                      .put("value", 0.9))))
              .put(
                  "curve",
                  new JsonObject()
                      .put("reinforcedStrength", 0.8)
                      .put("reinforcedAt", reinforcedAt.toString())
                      .put("stabilityDays", 10.0))
              .put("reinforcedTo", 0.9));
    }

    /**
     * When the page has checked the history and the curve ("STRENGTH"), reinforces the memory as
     * memory-service would: its new curve in the stand-in, {@code memory.reinforced} on Kafka.
     */
    void reinforceWhenAsked(String user, List<String> output, Process node) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> output.contains("STRENGTH") || !node.isAlive());
      assertThat(output).as(String.join("\n", output)).contains("STRENGTH");
      Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      Fixtures.memories().retrace(memoryId, 0.9, at, 16);
      EmbeddedKafka.shared()
          .publish(
              CloudEvent.of(
                  Sources.MEMORY_SERVICE,
                  user,
                  new MemoryReinforced(memoryId, ReinforcementReason.EXPLICIT, 0.9, 1, at)));
    }
  }
}
