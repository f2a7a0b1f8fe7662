package dev.engram.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.events.CloudEvent;
import dev.engram.events.ClusterChange;
import dev.engram.events.ClusterChanged;
import dev.engram.events.EventData;
import dev.engram.events.MemoryArchived;
import dev.engram.events.MemoryConsolidated;
import dev.engram.events.MemoryCreated;
import dev.engram.events.MemoryDecayed;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web UI in a real browser: Debian's headless Chromium driven by playwright-core (the script is
 * {@code src/main/webui/e2e/chat.e2e.mjs}). It sends a message, sees the answer stream in (token
 * frames before done) and the working-memory panel update, then sees "memory-service"'s events
 * (published here on Kafka: one of each kind the visualizer handles, see {@link #memoryEvents})
 * change the memory panel live: counts by type and state, each row's state and strength, the
 * clusters of the graph after a merge and a split, a decayed memory gone once memory-service has
 * deleted it; it zooms, pans and clicks the graph, checks the memory list stays virtual with 10,000
 * memories, that a second tab sees the first tab's turn live, that a tab that missed a turn and is
 * told to resync shows it, that the strength chart shows memory-service's strength history (seeded
 * here in its stand-in), a memory's forgetting curve, and a point added live by a reinforcement
 * published here, that sending while offline says so, that an error page is shown by its status,
 * the session actions (pause, resume, link), and that an expired or garbage token (over REST and on
 * the WebSocket) brings the sign-in back, and that a message whose connection dropped as it was
 * sent is sent again with the same {@code clientMessageId} on reconnecting, stored once and shown
 * once with one answer. Screenshots are kept at {@code target/browser/chat.png} and {@code
 * target/browser/memories.png}.
 */
@QuarkusTest
class BrowserTest {

  private static final Path WEBUI = Path.of("src/main/webui");
  private static final Path SCREENSHOT = Path.of("target/browser/chat.png");
  private static final Path MEMORIES_SCREENSHOT = Path.of("target/browser/memories.png");

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
    Files.deleteIfExists(MEMORIES_SCREENSHOT);
    Map<String, UUID> ids = new LinkedHashMap<>();
    for (String name : List.of("A", "B", "C", "D", "E", "F", "G", "M", "K1", "K2", "K3", "K4")) {
      ids.put(name, UUID.randomUUID());
    }

    ProcessBuilder builder =
        new ProcessBuilder("node", "e2e/chat.e2e.mjs")
            .directory(WEBUI.toFile())
            .redirectErrorStream(true);
    builder.environment().put("ENGRAM_URL", app + "#token=" + TestTokens.forUser(user));
    builder.environment().put("CHROMIUM", chromium);
    builder.environment().put("SCREENSHOT", SCREENSHOT.toAbsolutePath().toString());
    StrengthSeed strength = StrengthSeed.seed(user);
    builder.environment().put("STRENGTH", strength.expected().encode());
    builder
        .environment()
        .put("MEMORIES_SCREENSHOT", MEMORIES_SCREENSHOT.toAbsolutePath().toString());
    builder
        .environment()
        .put("EXPIRED_URL", app + "#token=" + TestTokens.expired(user, Duration.ofMinutes(5)));
    builder.environment().put("MEMORY_IDS", new ObjectMapper().writeValueAsString(ids));
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

      memoryEvents(user, ids).forEach(data -> publish(user, data));

      strength.reinforceWhenAsked(user, output, node);

      assertThat(node.waitFor(240, TimeUnit.SECONDS)).as("the browser script finished").isTrue();
      reader.join(5000);
      assertThat(node.exitValue()).as(String.join("\n", output)).isZero();
      assertThat(output).contains("PASSED");
      assertThat(SCREENSHOT).isNotEmptyFile();
      assertThat(MEMORIES_SCREENSHOT).isNotEmptyFile();
    } finally {
      node.destroyForcibly();
    }
  }

  /**
   * What memory-service would publish as the user's memories live, in order: clusters K1, K2 and a
   * large K4 (5,000 memories); memories A (reinforced), B (consolidated), F (consolidated, then
   * archived), G (decayed, then reinforced: revived), D (decayed, deleted in a week), C (decayed,
   * due now: memory-service has deleted it, its memory answers 404), M in K2 (K1 absorbs K2) and E
   * in K1 (split off into the new K3, whose members memory-service lists).
   */
  private static List<EventData> memoryEvents(String user, Map<String, UUID> id) {
    Instant now = Instant.now();
    UUID e =
        Fixtures.memories().addMemory(user, id.get("E"), "Temple etiquette: shoes off inside", now);
    Fixtures.memories().addCluster(user, id.get("K3"), "temple etiquette", List.of(e));
    return List.of(
        cluster(id.get("K1"), ClusterChange.CREATED, "kyoto temples", 5, List.of(), now),
        cluster(id.get("K2"), ClusterChange.CREATED, "osaka family", 1, List.of(), now),
        cluster(id.get("K4"), ClusterChange.GREW, "everything else", 5000, List.of(), now),
        created(
            id.get("A"),
            MemoryType.EPISODIC,
            "Planning a trip to Kyoto in April; loves temples",
            id.get("K1"),
            now),
        created(id.get("B"), MemoryType.SEMANTIC, "Loves temples", id.get("K1"), now),
        created(
            id.get("F"),
            MemoryType.PROCEDURAL,
            "Book temple tickets a week ahead",
            id.get("K1"),
            now),
        created(
            id.get("G"),
            MemoryType.EPISODIC,
            "Favourite temple is Kiyomizu-dera",
            id.get("K1"),
            now),
        created(id.get("D"), MemoryType.EPISODIC, "Once missed a train in Nara", null, now),
        created(id.get("C"), MemoryType.EPISODIC, "Ate a forgettable sandwich", null, now),
        created(id.get("M"), MemoryType.EPISODIC, "Sister Mia lives in Osaka", id.get("K2"), now),
        created(e, MemoryType.EPISODIC, "Temple etiquette: shoes off inside", id.get("K1"), now),
        new MemoryReinforced(id.get("A"), ReinforcementReason.RETRIEVAL, 0.95, 3, now),
        new MemoryConsolidated(id.get("B"), 0.8, now),
        new MemoryConsolidated(id.get("F"), 0.75, now),
        new MemoryArchived(id.get("F"), now),
        new MemoryDecayed(id.get("G"), 0.04, now, now.plus(Duration.ofDays(7))),
        new MemoryReinforced(id.get("G"), ReinforcementReason.EXPLICIT, 0.5, 1, now),
        new MemoryDecayed(id.get("D"), 0.05, now, now.plus(Duration.ofDays(7))),
        new MemoryDecayed(id.get("C"), 0.03, now, now.plusSeconds(1)),
        cluster(id.get("K1"), ClusterChange.MERGED, "kyoto temples", 6, List.of(id.get("K2")), now),
        cluster(id.get("K2"), ClusterChange.REMOVED, "osaka family", 0, List.of(id.get("K1")), now),
        cluster(id.get("K1"), ClusterChange.SPLIT, "kyoto temples", 5, List.of(id.get("K3")), now),
        cluster(
            id.get("K3"),
            ClusterChange.CREATED,
            "temple etiquette",
            1,
            List.of(id.get("K1")),
            now));
  }

  private static MemoryCreated created(
      UUID id, MemoryType type, String content, UUID cluster, Instant now) {
    return new MemoryCreated(
        id, type, content, null, null, 0.7, 0.6, MemoryState.ACTIVE, cluster, now, now);
  }

  private static ClusterChanged cluster(
      UUID id, ClusterChange change, String label, int size, List<UUID> related, Instant now) {
    return new ClusterChanged(id, change, label, size, 0.5, related, now);
  }

  private static void publish(String user, EventData data) {
    EmbeddedKafka.shared().publish(CloudEvent.of(Sources.MEMORY_SERVICE, user, data));
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
          .atMost(Duration.ofSeconds(180))
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
