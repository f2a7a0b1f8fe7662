package dev.engram.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.MemoryCreated;
import dev.engram.events.MemoryState;
import dev.engram.events.MemoryType;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.events.TurnCompleted;
import dev.engram.events.TurnContextSource;
import dev.engram.events.TurnOutcome;
import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.orchestrator.service.llm.OfflineResponder;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ChatWebSocketTest {

  @TestHTTPResource("/")
  URI base;

  @Test
  void aMessageStreamsTokensThenDoneAndIsStoredWithItsAnswer() {
    String user = Broker.freshUser("ws");
    Fixtures.memories()
        .addMemory(user, "My sister Clara lives in Lisbon", Instant.now().minusSeconds(86400));
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      JsonObject hello = chat.await("hello");
      assertThat(hello.getString("userId")).isEqualTo(user);

      chat.say("Where does my sister Clara live?", "c-1");

      JsonObject done = chat.await("done", f -> "c-1".equals(f.getString("clientMessageId")));
      List<JsonObject> tokens =
          chat.frames("token").stream()
              .filter(f -> "c-1".equals(f.getString("clientMessageId")))
              .toList();
      String streamed =
          tokens.stream().map(f -> f.getString("delta")).collect(Collectors.joining());
      assertThat(done.getString("content")).isEqualTo(streamed);
      // the offline answer is one burst: its first word at once, the rest in one frame
      assertThat(tokens).hasSize(2);
      assertThat(tokens.get(0).getString("delta")).isEqualTo("[offline ");
      assertThat(streamed).startsWith(OfflineResponder.LABEL).contains("Clara lives in Lisbon");
      assertThat(done.getString("provider")).isEqualTo("offline");
      assertThat(done.getBoolean("offline")).isTrue();
      JsonObject summary = done.getJsonObject("contextSummary");
      assertThat(summary.getInteger("tokens"))
          .isPositive()
          .isLessThanOrEqualTo(summary.getInteger("budget"));
      // the memory recalled entered the working set: it is in the context once, there
      assertThat(summary.getJsonObject("bySource").getInteger("working")).isEqualTo(1);
      assertThat(summary.getJsonObject("bySource").getInteger("long-term")).isZero();

      UUID sessionId = UUID.fromString(done.getString("sessionId"));
      List<JsonObject> stored = Fixtures.sessions().messagesOf(sessionId);
      assertThat(stored).extracting(m -> m.getString("role")).containsExactly("user", "assistant");
      assertThat(stored.get(0).getString("id")).isEqualTo(done.getString("userMessageId"));
      assertThat(stored.get(1).getString("id")).isEqualTo(done.getString("messageId"));
      assertThat(stored.get(1).getString("content")).isEqualTo(done.getString("content"));

      // Frames come in order: stm_update, the first token (the message is stored once the
      // context is built, so its frame follows), ..., message before done.
      List<String> types =
          chat.frames().stream()
              .map(f -> f.getString("type"))
              .filter(t -> !t.equals("hello"))
              .toList();
      assertThat(types.get(0)).isEqualTo("stm_update");
      assertThat(types.get(1)).isEqualTo("token");
      assertThat(types).containsOnlyOnce("message");
      assertThat(types.indexOf("message")).isGreaterThan(1);
      assertThat(types.get(types.size() - 1)).isEqualTo("done");
    }
    // The services saw the user's own token (propagation), not the orchestrator.
    assertThat(Fixtures.memories().recalls()).anyMatch(s -> s.getString("user").equals(user));
  }

  @Test
  void theTurnIsPublishedOnEngramTurnsWithoutContent() {
    String user = Broker.freshUser("metrics");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.say("Please note my favourite colour is teal", "c-2");
      chat.await("done");
    }
    List<CloudEvent<EventData>> events =
        EmbeddedKafka.shared()
            .eventsForUser(Topics.TURNS, user, list -> !list.isEmpty(), Duration.ofSeconds(20));
    assertThat(events).hasSize(1);
    TurnCompleted turn = (TurnCompleted) events.get(0).data();
    assertThat(turn.outcome()).isEqualTo(TurnOutcome.COMPLETED);
    assertThat(turn.provider()).isEqualTo("offline");
    assertThat(turn.contextTokens()).isPositive();
    assertThat(turn.assistantMessageId()).isNotNull();
    assertThat(turn.totalMillis()).isGreaterThanOrEqualTo(turn.firstTokenMillis());
    // every source under the contract's name, 0 included, adding up to the items
    assertThat(turn.contextItemsBySource().keySet())
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(TurnContextSource.values())
                .map(TurnContextSource::key)
                .toArray(String[]::new));
    assertThat(turn.itemsFrom(TurnContextSource.SESSION)).isEqualTo(1);
    assertThat(turn.itemsFrom(TurnContextSource.PARENT)).isZero();
    assertThat(turn.contextItemsBySource().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(turn.contextItems());
    assertThat(events.get(0).source()).isEqualTo(Sources.ORCHESTRATOR);
    assertThat(new dev.engram.events.EventCodec().encodeToString(events.get(0)))
        .doesNotContain("teal");
  }

  @Test
  void everyTabSeesTheSameTurnAndTheWorkingSet() {
    String user = Broker.freshUser("tabs");
    try (ChatClient one = ChatClient.connect(base, TestTokens.forUser(user), null);
        ChatClient two = ChatClient.connectLikeABrowser(base, TestTokens.forUser(user))) {
      one.await("hello");
      two.await("hello");
      one.say("I am planning a trip to Kyoto in April", "from-one");
      JsonObject doneOne = one.await("done");
      JsonObject doneTwo = two.await("done");
      assertThat(doneTwo.getString("id")).isEqualTo(doneOne.getString("id"));
      assertThat(two.await("message").getString("content"))
          .isEqualTo("I am planning a trip to Kyoto in April");
      JsonObject stm = two.await("stm_update");
      assertThat(
              stm.getJsonArray("items").stream()
                  .map(i -> ((JsonObject) i).getString("text"))
                  .toList())
          .contains("I am planning a trip to Kyoto in April");
    }
  }

  @Test
  void aClientThatReconnectsWithItsLastEventIdGetsWhatItMissed() {
    String user = Broker.freshUser("resume");
    String token = TestTokens.forUser(user);
    String lastSeen;
    try (ChatClient first = ChatClient.connect(base, token, null)) {
      first.say("First message about gardening", "a");
      lastSeen = first.await("done").getString("id");
    }
    try (ChatClient other = ChatClient.connect(base, token, null)) {
      other.say("Second message about tomatoes", "b");
      other.await("done", f -> "b".equals(f.getString("clientMessageId")));
    }
    try (ChatClient back = ChatClient.connect(base, token, lastSeen)) {
      JsonObject done = back.await("done", f -> "b".equals(f.getString("clientMessageId")));
      assertThat(done).isNotNull();
      assertThat(back.frames("message"))
          .extracting(f -> f.getString("clientMessageId"))
          .containsExactly("b");
      assertThat(back.frames("resync")).isEmpty();
    }
    try (ChatClient stale = ChatClient.connect(base, token, "other-epoch:3")) {
      assertThat(stale.await("resync").getString("lastEventId")).isNotBlank();
    }
  }

  @Test
  void badFramesGetErrorFramesAndTheSocketStaysUsable() {
    String user = Broker.freshUser("bad");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      chat.sendRaw("{not json");
      chat.send(new JsonObject().put("type", "shout").put("content", "x"));
      chat.send(new JsonObject().put("type", "user_message").put("clientMessageId", "no-content"));
      chat.send(
          new JsonObject()
              .put("type", "user_message")
              .put("content", "x".repeat(20_000))
              .put("clientMessageId", "big"));
      chat.sendRaw("[1,2,3]");
      chat.sendRaw("{\"type\":\"user_message\",\"content\":\"" + "y".repeat(70_000) + "\"}");
      chat.send(
          new JsonObject()
              .put("type", "user_message")
              .put("content", "hi")
              .put("sessionId", "nope"));
      chat.send(
          new JsonObject()
              .put("type", "user_message")
              .put("content", "what did I say yesterday?")
              .put("clientMessageId", "mars")
              .put("timeZone", "Mars/Olympus_Mons"));

      await().atMost(Duration.ofSeconds(10)).until(() -> chat.frames("error").size() == 8);
      List<String> types =
          chat.frames("error").stream()
              .map(f -> f.getJsonObject("problem").getString("type"))
              .toList();
      assertThat(types)
          .containsExactly(
              "https://engram.dev/problems/malformed-request",
              "https://engram.dev/problems/validation",
              "https://engram.dev/problems/validation",
              "https://engram.dev/problems/payload-too-large",
              "https://engram.dev/problems/malformed-request",
              "https://engram.dev/problems/payload-too-large",
              "https://engram.dev/problems/validation",
              "https://engram.dev/problems/validation");
      assertThat(chat.frames("error").get(2).getString("clientMessageId")).isEqualTo("no-content");
      assertThat(chat.frames("error").get(7).getString("clientMessageId")).isEqualTo("mars");
      assertThat(chat.frames("error").get(7).getJsonObject("problem").getString("detail"))
          .contains("timeZone");

      chat.say("still there?", "ok");
      assertThat(chat.await("done").getString("clientMessageId")).isEqualTo("ok");
      assertThat(chat.closed()).isFalse();
    }
  }

  @Test
  void aMessageOverTheFrameLimitInOneFrameGetsAnErrorFrameAndTheSocketStaysUsable() {
    String user = Broker.freshUser("oneframe");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      // one unfragmented frame of 100 KB, as a browser sends a long message
      chat.sendOneFrame(
          new JsonObject()
              .put("type", "user_message")
              .put("content", "z".repeat(100_000))
              .put("clientMessageId", "huge")
              .encode());

      JsonObject error = chat.await("error");
      assertThat(error.getJsonObject("problem").getString("type"))
          .isEqualTo("https://engram.dev/problems/payload-too-large");
      chat.say("still there?", "after");
      assertThat(chat.await("done").getString("clientMessageId")).isEqualTo("after");
      assertThat(chat.closed()).isFalse();
    }
  }

  @Test
  void aMessageOverTheTransportLimitInSeveralFramesGetsAnErrorFrameAndTheSocketStaysUsable() {
    String user = Broker.freshUser("manyframes");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      // 1.2 MB in frames of 64 KiB: over the 1 MiB a message may have
      chat.sendRaw("{\"type\":\"user_message\",\"content\":\"" + "w".repeat(1_200_000) + "\"}");

      JsonObject error = chat.await("error");
      assertThat(error.getJsonObject("problem").getString("type"))
          .isEqualTo("https://engram.dev/problems/payload-too-large");
      chat.say("still there?", "after");
      assertThat(chat.await("done").getString("clientMessageId")).isEqualTo("after");
      assertThat(chat.frames("error")).hasSize(1);
      assertThat(chat.closed()).isFalse();
    }
  }

  @Test
  void aSingleFrameOverTheTransportLimitClosesTheSocket() {
    String user = Broker.freshUser("hugeframe");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      chat.sendOneFrame("v".repeat(1_100_000));
      await().atMost(Duration.ofSeconds(10)).until(chat::closed);
      // the decoder sends 1009 (Message Too Big) and drops the connection: a client still sending
      // the frame usually sees only the drop
      assertThat(chat.closeStatus()).isIn(null, (short) 1009);
    }
    // the user connects again
    try (ChatClient again = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      again.await("hello");
    }
  }

  @Test
  void activityMovesWithTurnsNeverWithKeepAlives() {
    String user = Broker.freshUser("activity");
    Instant bound = lastActivity();
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      chat.send(new JsonObject().put("type", "ping"));
      chat.ping();
      await().atMost(Duration.ofSeconds(10)).until(() -> chat.pongs() == 1);
      chat.await("pong");
      assertThat(lastActivity()).isEqualTo(bound);

      chat.say("I water the tomatoes every morning", "t-1");
      chat.await("done");
      Instant afterTurn = lastActivity();
      assertThat(afterTurn).isAfter(bound);

      chat.send(new JsonObject().put("type", "ping"));
      chat.ping();
      await().atMost(Duration.ofSeconds(10)).until(() -> chat.pongs() == 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> chat.frames("pong").size() == 2);
      assertThat(lastActivity()).isEqualTo(afterTurn);
    }
    // a turn over REST is activity too
    Instant beforeRest = lastActivity();
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(TestTokens.forUser(user))
        .contentType("application/json")
        .body(java.util.Map.of("content", "And the basil on Sundays"))
        .post("/api/v1/turns")
        .then()
        .statusCode(200);
    assertThat(lastActivity()).isAfter(beforeRest);
  }

  /** {@code lastActivityAt} of {@code GET /internal/v1/status}, as the broker reads it. */
  private static Instant lastActivity() {
    return Instant.parse(Broker.status().statusCode(200).extract().path("lastActivityAt"));
  }

  @Test
  void memoryChangesOfTheBoundUserArePushed() {
    String user = Broker.freshUser("memupd");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      UUID memoryId = UUID.randomUUID();
      EmbeddedKafka.shared().publish(created("someone-else", UUID.randomUUID()));
      CloudEvent<MemoryCreated> mine = created(user, memoryId);
      EmbeddedKafka.shared().publish(mine);
      EmbeddedKafka.shared().publish(mine);

      JsonObject update = chat.await("memory_update");
      assertThat(update.getString("event")).isEqualTo("memory.created");
      assertThat(update.getJsonObject("data").getString("memoryId")).isEqualTo(memoryId.toString());
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(2))
          .until(() -> chat.frames("memory_update").size() == 1);
    }
  }

  @Test
  void upgradesAreRefusedForOtherUsersAndWithoutTokens() {
    Broker.freshUser("upgrade");
    assertThat(ChatClient.refusal(base, TestTokens.forUser("intruder"))).isEqualTo(403);
    assertThat(ChatClient.refusal(base, null)).isEqualTo(401);
    Broker.release().statusCode(200);
    assertThat(ChatClient.refusal(base, TestTokens.forUser("anyone"))).isEqualTo(503);
  }

  @Test
  void releaseClosesTheUsersConnections() {
    String user = Broker.freshUser("closing");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      Broker.release().statusCode(200);
      await().atMost(Duration.ofSeconds(10)).until(chat::closed);
    }
  }

  private static CloudEvent<MemoryCreated> created(String user, UUID memoryId) {
    Instant now = Instant.now();
    return CloudEvent.of(
        Sources.MEMORY_SERVICE,
        user,
        new MemoryCreated(
            memoryId,
            MemoryType.EPISODIC,
            "a memory",
            null,
            null,
            0.5,
            0.5,
            MemoryState.ACTIVE,
            null,
            now,
            now));
  }
}
