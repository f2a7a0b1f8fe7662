package dev.engram.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole suite, black-box: one private stack started by the {@code engram} script (as {@code
 * ./engram up} does) for every test here, reached only through the gateway, with an OTLP receiver
 * collecting every service's spans. The tests run in order: the first user's conversation is the
 * material of the later ones, and erasing that user comes last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuiteSystemTest {

  private static final Duration INGEST = Duration.ofSeconds(90);

  private OtlpReceiver otlp;
  private Stack stack;
  private Gateway gateway;

  private String alice;
  private String bob;
  private String firstSession;
  private String secondSession;

  @BeforeAll
  void startTheSuite() throws Exception {
    // Conditions below make up to six calls per poll: at Awaitility's default 100 ms a quiet
    // machine would poll past the gateway's per-user rate limit (20 requests/s) and see only 429s.
    Awaitility.setDefaultPollInterval(Duration.ofMillis(500));
    otlp = new OtlpReceiver();
    stack = Stack.start(otlp.endpoint());
    gateway = new Gateway(stack.gateway());
    alice = gateway.token("alice");
    bob = gateway.token("bob");
    warmUp();
  }

  /**
   * A first turn through every service (retried until it succeeds): the JVMs load their classes and
   * connections here, not during the assertions, on a machine that may be loaded.
   */
  private void warmUp() {
    gateway.connect(alice);
    await("a first turn through the suite")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(
            () ->
                gateway
                        .post(alice, "/api/v1/turns", Map.of("content", "Hello, warming up."))
                        .status()
                    == 200);
    await("session-service and memory-service through the gateway")
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(
            () ->
                gateway.get(alice, "/api/v1/sessions").status() == 200
                    && gateway.get(alice, "/api/v1/memories").status() == 200);
  }

  @AfterAll
  void stopTheSuite() {
    Awaitility.reset();
    if (stack != null) {
      stack.close();
    }
    if (otlp != null) {
      otlp.close();
    }
  }

  @Test
  @Order(0)
  void aSecondStartSaysTheStackRunsAndLeavesItRunning() {
    Stack.Result again = stack.engram("up");
    assertThat(again.code()).as(again.output()).isEqualTo(1);
    assertThat(again.output()).contains("already running");
    gateway.get(alice, "/api/v1/sessions").ok();
  }

  @Test
  @Order(1)
  void aConversationIsStoredRememberedAndRecalledInALaterSession() throws Exception {
    JsonNode connection = gateway.post(alice, "/api/v1/connect", null).ok().json();
    assertThat(connection.toString()).contains("alice");

    String sister = "My sister Ingrid lives in Reykjavik and breeds Icelandic horses.";
    String tea = "Remember that my favourite tea is lapsang souchong.";
    try (ChatSocket chat = new ChatSocket(gateway, alice)) {
      firstSession = newSession(alice, "First");
      JsonNode first = chat.chat(sister, firstSession);
      assertThat(first.path("offline").asBoolean()).isTrue();
      assertThat(first.path("content").asText()).startsWith("[offline responder");
      assertThat(first.path("sessionId").asText()).isEqualTo(firstSession);
      JsonNode second = chat.chat(tea, firstSession);
      assertThat(second.path("sessionId").asText()).isEqualTo(firstSession);

      // session-service has both sides of both turns, in order
      JsonNode messages =
          gateway.get(alice, "/api/v1/sessions/" + firstSession + "/messages").ok().json();
      assertThat(texts(messages.path("items"), "content"))
          .hasSize(4)
          .satisfies(m -> assertThat(m.get(0)).isEqualTo(sister))
          .satisfies(m -> assertThat(m.get(2)).isEqualTo(tea));
      assertThat(texts(messages.path("items"), "role"))
          .containsExactly("user", "assistant", "user", "assistant");

      // memory-service ingested them (through Kafka)
      await("memories of the first session")
          .atMost(INGEST)
          .untilAsserted(
              () ->
                  assertThat(memoriesOf(alice, firstSession))
                      .anySatisfy(m -> assertThat(m).contains("Reykjavik"))
                      .anySatisfy(m -> assertThat(m).contains("lapsang souchong")));

      // the session ends; a new one starts and asks about what was said before
      gateway.post(alice, "/api/v1/sessions/" + firstSession + "/complete", null).ok();
      secondSession =
          gateway
              .post(alice, "/api/v1/sessions", Map.of("title", "Later", "tags", List.of()))
              .ok()
              .json()
              .path("id")
              .asText();
      String question = "Where does my sister Ingrid live?";
      JsonNode answer = chat.chat(question, secondSession);
      assertThat(answer.path("sessionId").asText()).isEqualTo(secondSession);
      assertThat(answer.path("content").asText()).contains("Reykjavik");

      // ...and that came from what the user said before, not from this session's messages: the
      // first session's message is still in the working set (short-term memory outlives a
      // session), and memory-service recalled it as a long-term memory, which the context keeps
      // once: in the working set, its long-term copy dropped as a duplicate
      JsonNode preview =
          gateway
              .get(
                  alice,
                  "/api/v1/context/preview?sessionId="
                      + secondSession
                      + "&q="
                      + java.net.URLEncoder.encode(
                          question, java.nio.charset.StandardCharsets.UTF_8))
              .ok()
              .json();
      assertThat(items(preview.path("items")))
          .as(preview.toString())
          .anySatisfy(
              item -> {
                assertThat(item.path("source").asText()).isIn("long-term", "working");
                assertThat(item.path("text").asText()).contains("Reykjavik");
              });
      assertThat(
              items(preview.path("items")).stream()
                      .anyMatch(
                          item ->
                              item.path("key").asText().startsWith("memory:")
                                  && item.path("text").asText().contains("Reykjavik"))
                  || items(preview.path("dropped")).stream()
                      .anyMatch(
                          item ->
                              item.path("source").asText().equals("long-term")
                                  && item.path("reason").asText().equals("duplicate")))
          .as("memory-service recalled a long-term memory: " + preview)
          .isTrue();
    }
  }

  @Test
  @Order(2)
  void theSecondUserSeesNoneOfTheFirstUsersData() throws Exception {
    String aliceMemory =
        items(gateway.get(alice, "/api/v1/memories").ok().json().path("items"))
            .get(0)
            .path("id")
            .asText();

    assertThat(items(gateway.get(bob, "/api/v1/sessions").ok().json().path("items"))).isEmpty();
    assertThat(gateway.get(bob, "/api/v1/sessions/" + firstSession).status()).isEqualTo(404);
    assertThat(gateway.get(bob, "/api/v1/sessions/" + firstSession + "/messages").status())
        .isEqualTo(404);
    assertThat(gateway.post(bob, "/api/v1/sessions/" + firstSession + "/complete", null).status())
        .isEqualTo(404);
    assertThat(gateway.get(bob, "/api/v1/memories/" + aliceMemory).status()).isEqualTo(404);
    assertThat(items(gateway.get(bob, "/api/v1/memories").ok().json().path("items"))).isEmpty();
    assertThat(
            items(
                gateway
                    .post(bob, "/api/v1/memories/search", Map.of("query", "sister Reykjavik tea"))
                    .ok()
                    .json()
                    .path("hits")))
        .isEmpty();
    assertThat(gateway.get(bob, "/api/v1/facts").ok().body()).doesNotContain("Reykjavik", "Ingrid");
    assertThat(gateway.get(bob, "/api/v1/users/me/export").ok().body())
        .doesNotContain("Reykjavik", "Ingrid", firstSession);

    // bob's own instance knows nothing of alice either
    try (ChatSocket chat = new ChatSocket(gateway, bob)) {
      JsonNode answer = chat.chat("Who lives in Reykjavik? Tell me about Ingrid's horses.", null);
      assertThat(answer.path("content").asText()).doesNotContain("sister", "lapsang");
      assertThat(answer.path("userMessageId").asText()).isNotBlank();
    }
    assertThat(gateway.get(bob, "/api/v1/stm").ok().body()).doesNotContain("sister", "lapsang");
    assertThat(gateway.get(bob, "/api/v1/context/preview?q=sister%20Ingrid%20tea").ok().body())
        .doesNotContain("My sister", "lapsang");
    await("bob's own memories")
        .atMost(INGEST)
        .untilAsserted(() -> assertThat(memoriesOf(bob, null)).isNotEmpty());
    assertThat(memoriesOf(bob, null))
        .noneMatch(m -> m.contains("My sister") || m.contains("lapsang"));
  }

  @Test
  @Order(3)
  void podClaimedAndMessageAppendedAreOnTheirTopics() {
    await("pod.claimed on engram.pods")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(Topics.read(stack.kafka(), "engram.pods"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.type()).isEqualTo("pod.claimed");
                          assertThat(e.key()).isEqualTo("alice");
                        }));
    List<Topics.Event> appended =
        Topics.read(stack.kafka(), "engram.sessions").stream()
            .filter(e -> e.type().equals("message.appended"))
            .filter(e -> firstSession.equals(e.data().path("sessionId").asText()))
            .toList();
    assertThat(appended).hasSize(4).allSatisfy(e -> assertThat(e.key()).isEqualTo("alice"));
  }

  @Test
  @Order(4)
  void oneTraceRunsFromTheGatewayThroughTheServicesIntoMemoryIngest() {
    String traceId = HexFormat.of().formatHex(randomBytes(16));
    String parent = HexFormat.of().formatHex(randomBytes(8));
    JsonNode turn =
        gateway
            .send(
                alice,
                "POST",
                "/api/v1/turns",
                Map.of(
                    "sessionId", secondSession, "content", "I started learning the cello today."),
                Map.of("traceparent", "00-" + traceId + "-" + parent + "-01"))
            .ok()
            .json();
    assertThat(turn.path("messageId").asText()).isNotBlank();

    await("the turn's spans from every service")
        .atMost(INGEST)
        .untilAsserted(
            () -> {
              List<OtlpReceiver.Span> spans = otlp.trace(traceId);
              assertThat(spans.stream().map(OtlpReceiver.Span::service).collect(Collectors.toSet()))
                  .as("services in the trace: %s", spans)
                  .contains(
                      "container-broker",
                      "orchestrator-service",
                      "session-service",
                      "memory-service");
              // memory-service's ingest is a Kafka consumer span of the trace (kind 5 = CONSUMER)
              assertThat(spans)
                  .as("%s", spans)
                  .anySatisfy(
                      s -> {
                        assertThat(s.service()).isEqualTo("memory-service");
                        assertThat(s.kind()).isEqualTo(5);
                      });
              // and its chain of parents leads back to the gateway's span
              Map<String, OtlpReceiver.Span> byId =
                  spans.stream()
                      .collect(
                          Collectors.toMap(
                              OtlpReceiver.Span::spanId, Function.identity(), (a, b) -> a));
              OtlpReceiver.Span consumer =
                  spans.stream()
                      .filter(s -> s.service().equals("memory-service") && s.kind() == 5)
                      .findFirst()
                      .orElseThrow();
              List<String> chain = new ArrayList<>();
              for (OtlpReceiver.Span s = consumer; s != null; s = byId.get(s.parentSpanId())) {
                chain.add(s.service());
              }
              assertThat(chain)
                  .as("from memory-service's ingest up to the root: %s", chain)
                  .containsSubsequence(
                      "memory-service",
                      "session-service",
                      "orchestrator-service",
                      "container-broker");
            });
  }

  @Test
  @Order(5)
  void killingMemoryServiceLosesNoMessageAndIngestsEachOnce() throws Exception {
    String carol = gateway.token("carol");
    List<String> said = new ArrayList<>();
    String session;
    try (ChatSocket chat = new ChatSocket(gateway, carol)) {
      session =
          chat.chat(say(said, "I grow tomatoes on my balcony."), null).path("sessionId").asText();
      chat.chat(say(said, "My bicycle is a green Gazelle from 1987."), session);
      stack.engramOk("kill", "memory-service");
      chat.chat(say(said, "Yesterday I baked sourdough bread with rye flour."), session);
      chat.chat(say(said, "The concert in Vienna was wonderful."), session);
      stack.engramOk("start", "memory-service");
      chat.chat(say(said, "Next month I fly to Lisbon for a conference."), session);
    }
    List<JsonNode> messages =
        items(
            gateway
                .get(carol, "/api/v1/sessions/" + session + "/messages?limit=100")
                .ok()
                .json()
                .path("items"));
    assertThat(messages).hasSize(2 * said.size());
    Set<String> messageIds = remembered(messages);
    assertThat(messageIds).hasSize(said.size());
    await("every message ingested")
        .atMost(INGEST)
        .untilAsserted(
            () ->
                assertThat(
                        memories(carol, session).stream()
                            .map(m -> m.path("sourceMessageId").asText())
                            .collect(Collectors.toSet()))
                    .containsAll(messageIds));
    List<JsonNode> memories = memories(carol, session);
    Map<String, Long> perMessage =
        memories.stream()
            .collect(
                Collectors.groupingBy(
                    m -> m.path("sourceMessageId").asText(), Collectors.counting()));
    assertThat(perMessage)
        .as("memories per message")
        .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    assertThat(memories.stream().map(m -> m.path("content").asText())).containsAll(said);
  }

  @Test
  @Order(6)
  void chatsGoOnWhileRedisIsDown() throws Exception {
    String carol = gateway.token("carol");
    try (ChatSocket chat = new ChatSocket(gateway, carol)) {
      String session = newSession(carol, "Stamps");
      chat.chat("Hello, I collect stamps.", session);
      stack.engramOk("stop", "redis");
      try {
        assertThat(chat.chat("My rarest stamp is a Penny Black.", session).path("content").asText())
            .startsWith("[offline responder");
        assertThat(chat.chat("I also like old postcards.", session).path("content").asText())
            .startsWith("[offline responder");
        assertThat(
                gateway
                    .get(carol, "/api/v1/sessions/" + session + "/messages")
                    .ok()
                    .json()
                    .path("items"))
            .hasSize(6);
      } finally {
        stack.engramOk("start", "redis");
      }
      chat.chat("Redis is back, I hope.", session);
    }
  }

  @Test
  @Order(7)
  void chatsGoOnWhileKafkaIsDownAndEverythingIsDeliveredAfterwards() throws Exception {
    String carol = gateway.token("carol");
    List<String> said = new ArrayList<>();
    String session;
    try (ChatSocket chat = new ChatSocket(gateway, carol)) {
      session = newSession(carol, "Sailing");
      chat.chat(say(said, "I sail a small dinghy."), session);
      stack.engramOk("stop", "kafka");
      try {
        chat.chat(say(said, "The lake froze over last winter."), session);
        chat.chat(say(said, "My dinghy is called Puffin."), session);
      } finally {
        stack.engramOk("start", "kafka");
      }
    }
    List<JsonNode> messages =
        items(
            gateway
                .get(carol, "/api/v1/sessions/" + session + "/messages")
                .ok()
                .json()
                .path("items"));
    assertThat(messages).hasSize(2 * said.size());
    Set<String> messageIds =
        messages.stream().map(m -> m.path("id").asText()).collect(Collectors.toSet());
    await("every message.appended delivered")
        .atMost(INGEST)
        .untilAsserted(
            () ->
                assertThat(
                        Topics.read(stack.kafka(), "engram.sessions").stream()
                            .filter(e -> e.type().equals("message.appended"))
                            .map(e -> e.data().path("messageId").asText())
                            .collect(Collectors.toSet()))
                    .containsAll(messageIds));
    Set<String> remembered = remembered(messages);
    assertThat(remembered).hasSize(said.size());
    await("every message ingested")
        .atMost(INGEST)
        .untilAsserted(
            () ->
                assertThat(
                        memories(carol, session).stream()
                            .map(m -> m.path("sourceMessageId").asText())
                            .toList())
                    .containsExactlyInAnyOrderElementsOf(remembered));
  }

  @Test
  @Order(8)
  void theWebUiFlowInAHeadlessBrowser() throws Exception {
    Browser.run(stack, gateway);
  }

  @Test
  @Order(100)
  void erasingTheFirstUserLeavesNothingOfTheirs() throws Exception {
    assertThat(gateway.delete(alice, "/api/v1/users/me").status()).isEqualTo(204);
    await("alice erased everywhere")
        .atMost(INGEST)
        .untilAsserted(
            () -> {
              assertThat(items(gateway.get(alice, "/api/v1/sessions").ok().json().path("items")))
                  .isEmpty();
              assertThat(gateway.get(alice, "/api/v1/sessions/" + firstSession).status())
                  .isEqualTo(404);
              assertThat(items(gateway.get(alice, "/api/v1/memories").ok().json().path("items")))
                  .isEmpty();
              assertThat(
                      items(
                          gateway
                              .post(
                                  alice,
                                  "/api/v1/memories/search",
                                  Map.of("query", "sister Reykjavik"))
                              .ok()
                              .json()
                              .path("hits")))
                  .isEmpty();
              assertThat(items(gateway.get(alice, "/api/v1/facts").ok().json().path("items")))
                  .isEmpty();
              assertThat(gateway.get(alice, "/api/v1/stm").ok().body())
                  .doesNotContain("Reykjavik", "lapsang");
            });
    // alice leaves: her instance is released (the gateway forgets which one was hers)
    assertThat(gateway.delete(alice, "/api/v1/connect").status()).isIn(204, 404);
    await("nothing of alice in the databases and Redis")
        .atMost(INGEST)
        .untilAsserted(
            () -> {
              for (String db : stack.databases()) {
                assertThat(rowsOf("alice", db)).as("rows of alice in " + db).isEmpty();
              }
              assertThat(redisKeysOf("alice"))
                  .as("Redis keys of alice (but the gateway's rate-limit bucket)")
                  .allMatch(k -> k.startsWith("engram:gateway:bucket:"));
            });
    // the other users keep theirs
    assertThat(items(gateway.get(bob, "/api/v1/sessions").ok().json().path("items"))).isNotEmpty();
    assertThat(memoriesOf(bob, null)).isNotEmpty();
  }

  // --- helpers ------------------------------------------------------------------------------

  private String newSession(String token, String title) {
    return gateway
        .post(token, "/api/v1/sessions", Map.of("title", title, "tags", List.of()))
        .ok()
        .json()
        .path("id")
        .asText();
  }

  private static String say(List<String> said, String text) {
    said.add(text);
    return text;
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    bytes[0] |= 1;
    return bytes;
  }

  private static List<JsonNode> items(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  private static List<String> texts(JsonNode array, String field) {
    return items(array).stream().map(n -> n.path(field).asText()).toList();
  }

  private List<JsonNode> memories(String token, String session) {
    String query = "/api/v1/memories?limit=200" + (session == null ? "" : "&sessionId=" + session);
    return items(gateway.get(token, query).ok().json().path("items"));
  }

  private List<String> memoriesOf(String token, String session) {
    return memories(token, session).stream().map(m -> m.path("content").asText()).toList();
  }

  /** Tables of a database (any with a user_id column) that still hold rows of {@code user}. */
  private static List<String> rowsOf(String user, String db) throws Exception {
    String sql =
        "DO $$ DECLARE t record; n bigint; BEGIN FOR t IN SELECT table_schema s, table_name n FROM"
            + " information_schema.columns WHERE column_name = 'user_id' AND table_schema NOT IN"
            + " ('pg_catalog','information_schema')"
            + " LOOP EXECUTE format('SELECT count(*) FROM %I.%I"
            + " WHERE user_id::text = %L' || CASE WHEN t.n = 'outbox' THEN ' AND event_type <>"
            + " ''user.erased''' ELSE '' END, t.s, t.n, '"
            + user
            + "') INTO n; IF n > 0 THEN RAISE NOTICE 'LEFT % %', t.n, n; END IF; END LOOP; END $$;";
    String out = Stack.sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c", sql);
    if (out.contains("ERROR")) {
      throw new AssertionError(out);
    }
    return out.lines().filter(l -> l.contains("LEFT")).toList();
  }

  private List<String> redisKeysOf(String user) throws Exception {
    String out =
        Stack.sh(
            "redis-cli",
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(stack.redisPort),
            "--scan",
            "--pattern",
            "*" + user + "*");
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  /**
   * The ids of the {@code messages} memory-service makes memories of: all but the offline
   * responder's answers ({@code offline: true} in their metadata), which only restate memories.
   */
  private static Set<String> remembered(List<JsonNode> messages) {
    return messages.stream()
        .filter(m -> !m.path("metadata").path("offline").asBoolean(false))
        .map(m -> m.path("id").asText())
        .collect(Collectors.toSet());
  }
}
