package dev.engram.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.events.CloudEvent;
import dev.engram.events.MemoryCreated;
import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.events.Sources;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * that a message whose connection dropped as it was sent is sent again with the same {@code
 * clientMessageId} on reconnecting, stored once and shown once with one answer. The screenshot is
 * kept at {@code target/browser/chat.png}.
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

      assertThat(node.waitFor(90, TimeUnit.SECONDS)).as("the browser script finished").isTrue();
      reader.join(5000);
      assertThat(node.exitValue()).as(String.join("\n", output)).isZero();
      assertThat(output).contains("PASSED");
      assertThat(SCREENSHOT).isNotEmptyFile();
    } finally {
      node.destroyForcibly();
    }
  }
}
