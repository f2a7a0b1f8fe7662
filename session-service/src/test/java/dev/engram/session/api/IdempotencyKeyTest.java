package dev.engram.session.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.MessageAppended;
import dev.engram.events.Topics;
import dev.engram.session.Api;
import dev.engram.session.TestInfrastructure;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /sessions/{id}/messages} with an {@code Idempotency-Key}: a retry appends nothing.
 */
@QuarkusTest
class IdempotencyKeyTest {

  private static final Duration DELIVERY = Duration.ofSeconds(60);

  @Test
  void aRepeatReturnsTheStoredMessageAndPublishesOneEvent() {
    Api alice = Api.newUser();
    String id = alice.createSession("Retries");
    String key = UUID.randomUUID().toString();

    ExtractableResponse<Response> first =
        append(alice, id, "user", "Hello once", key)
            .statusCode(201)
            .header(MessageResource.REPLAYED, nullValue())
            .body("sequence", equalTo(1))
            .body("idempotencyKey", equalTo(key))
            .extract();
    append(alice, id, "user", "Hello once", key)
        .statusCode(200)
        .header(MessageResource.REPLAYED, "true")
        .body("id", equalTo(first.path("id")))
        .body("sequence", equalTo(1))
        .body("createdAt", equalTo(first.path("createdAt")))
        .body("content", equalTo("Hello once"));
    // the repeat took no sequence number: the next message is the second
    ExtractableResponse<Response> next =
        append(alice, id, "assistant", "Hi", key + ":answer")
            .statusCode(201)
            .body("sequence", equalTo(2))
            .extract();

    alice
        .request()
        .get("/api/v1/sessions/{id}/messages", id)
        .then()
        .body("items", hasSize(2))
        .body("items[0].idempotencyKey", equalTo(key));
    alice.request().get("/api/v1/sessions/{id}", id).then().body("messageCount", equalTo(2));
    String nextId = next.path("id");
    // wait for the event of the message after the repeat: any event of the repeat came before it
    List<MessageAppended> appended =
        appendedOf(
            EmbeddedKafka.shared()
                .eventsForUser(
                    Topics.SESSIONS,
                    alice.user(),
                    read ->
                        appendedOf(read).stream()
                            .anyMatch(m -> m.messageId().toString().equals(nextId)),
                    DELIVERY));
    assertThat(appended)
        .extracting(m -> m.messageId().toString())
        .containsExactly(first.path("id"), nextId);
  }

  @Test
  void theSameKeyWithOtherContentIsRefusedAndWritesNothing() {
    Api alice = Api.newUser();
    String id = alice.createSession("Conflicts");
    String key = "k-" + UUID.randomUUID();
    ExtractableResponse<Response> stored =
        append(alice, id, "user", "The original", key).statusCode(201).extract();

    append(alice, id, "user", "Something else", key)
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", equalTo("https://engram.dev/problems/idempotency-key-reused"))
        .body("status", equalTo(422))
        .body("messageId", equalTo(stored.path("id")))
        .body("sequence", equalTo(1));
    append(alice, id, "assistant", "The original", key)
        .statusCode(422)
        .body("type", equalTo("https://engram.dev/problems/idempotency-key-reused"));

    alice.request().get("/api/v1/sessions/{id}", id).then().body("messageCount", equalTo(1));
    assertThat(rows(id)).isEqualTo(1);
  }

  @Test
  void concurrentRepeatsStoreOneMessageAndKeepSequencesGapless() throws Exception {
    Api alice = Api.newUser();
    String id = alice.createSession("Racing");
    int attempts = 8;
    for (int round = 0; round < 3; round++) {
      String key = "race-" + round + "-" + UUID.randomUUID();
      String content = "Said once, sent " + attempts + " times (" + round + ")";
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(attempts);
      try {
        List<CompletableFuture<ExtractableResponse<Response>>> sent =
            IntStream.range(0, attempts)
                .mapToObj(
                    i ->
                        CompletableFuture.supplyAsync(
                            () -> {
                              await(start);
                              return append(alice, id, "user", content, key).extract();
                            },
                            pool))
                .toList();
        start.countDown();
        List<ExtractableResponse<Response>> answers =
            sent.stream().map(CompletableFuture::join).toList();
        assertThat(answers).extracting(ExtractableResponse::statusCode).containsOnly(200, 201);
        assertThat(answers.stream().filter(a -> a.statusCode() == 201)).hasSize(1);
        assertThat(answers.stream().map(a -> (String) a.path("id")).distinct()).hasSize(1);
        assertThat(answers.stream().map(a -> (Integer) a.path("sequence")).distinct())
            .containsExactly(round + 1);
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(rows(id)).isEqualTo(3);
    alice.append(id, "after the races").statusCode(201).body("sequence", equalTo(4));
  }

  @Test
  void anAppendThatWaitedForTheSameKeyReturnsTheMessageStoredMeanwhile() throws Exception {
    Api alice = Api.newUser();
    String id = alice.createSession("Overtaken");
    String key = "overtaken-" + UUID.randomUUID();
    UUID earlier = UUID.randomUUID();
    // Another append of the key holds the session row: the request starts, waits for the lock
    // and sees the key only once that append commits (after the request's statement began).
    try (Connection other = TestDatabase.connect(TestInfrastructure.DATABASE)) {
      other.setAutoCommit(false);
      try (var lock =
              other.prepareStatement("select 1 from sessions where id = ?::uuid for update");
          var insert =
              other.prepareStatement(
                  "insert into messages (id, session_id, user_id, sequence, role, content,"
                      + " created_at, idempotency_key) values (?, ?::uuid, ?, 1, 'user', ?, now(), ?)");
          var bump =
              other.prepareStatement("update sessions set last_sequence = 1 where id = ?::uuid")) {
        lock.setString(1, id);
        lock.execute();
        insert.setObject(1, earlier);
        insert.setString(2, id);
        insert.setString(3, alice.user());
        insert.setString(4, "sent twice");
        insert.setString(5, key);
        insert.executeUpdate();
        bump.setString(1, id);
        bump.executeUpdate();
      }
      CompletableFuture<ExtractableResponse<Response>> waiting =
          CompletableFuture.supplyAsync(
              () -> append(alice, id, "user", "sent twice", key).extract());
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> lockWaiters(other) > 0);
      other.commit();

      ExtractableResponse<Response> answer = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat((String) answer.path("id")).isEqualTo(earlier.toString());
    }
    assertThat(rows(id)).isEqualTo(1);
    alice.append(id, "next").statusCode(201).body("sequence", equalTo(2));
  }

  private static long lockWaiters(Connection connection) throws Exception {
    try (var query =
            connection.prepareStatement(
                "select count(*) from pg_stat_activity"
                    + " where datname = current_database() and wait_event_type = 'Lock'");
        var rows = query.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Test
  void keysBelongToTheirSessionAndAreExportedWithTheirMessages() {
    Api alice = Api.newUser();
    Api bob = Api.newUser();
    String first = alice.createSession("First");
    String second = alice.createSession("Second");
    String key = "shared-" + UUID.randomUUID();
    append(alice, first, "user", "same words", key).statusCode(201);
    append(alice, second, "user", "same words", key).statusCode(201);
    // another user's session is not found, key or not; the user's own key is theirs alone
    append(bob, first, "user", "same words", key).statusCode(404);
    append(bob, bob.createSession("Bob's"), "user", "same words", key).statusCode(201);

    assertThat(rows(first)).isEqualTo(1);
    assertThat(rows(second)).isEqualTo(1);
    alice
        .request()
        .get("/api/v1/users/me/export")
        .then()
        .statusCode(200)
        .body("sessions.messages.flatten().idempotencyKey", equalTo(List.of(key, key)));
  }

  @Test
  void aRepeatIsAnsweredAfterTheSessionStoppedTakingMessages() {
    Api alice = Api.newUser();
    String id = alice.createSession("Paused later");
    String key = UUID.randomUUID().toString();
    String messageId =
        append(alice, id, "user", "before the pause", key).statusCode(201).extract().path("id");
    alice.transition(id, "pause").statusCode(200);

    append(alice, id, "user", "before the pause", key)
        .statusCode(200)
        .body("id", equalTo(messageId));
    append(alice, id, "user", "a new one", UUID.randomUUID().toString())
        .statusCode(409)
        .body("currentStatus", equalTo("PAUSED"));
  }

  @Test
  void aMalformedKeyIsAValidationProblem() {
    Api alice = Api.newUser();
    String id = alice.createSession("Keys");
    for (String bad : List.of("x".repeat(256), "tab\there", " ")) {
      append(alice, id, "user", "hello", bad)
          .statusCode(400)
          .contentType("application/problem+json")
          .body("type", equalTo("https://engram.dev/problems/validation"))
          .body("errors[0].field", equalTo("Idempotency-Key"));
    }
    append(alice, id, "user", "hello", "x".repeat(255)).statusCode(201);
    assertThat(rows(id)).isEqualTo(1);
  }

  @Test
  void theOpenApiDocumentDescribesTheKey() {
    String document =
        io.restassured.RestAssured.given()
            .accept("application/json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(document).contains("Idempotency-Key").contains("idempotencyKey");
  }

  private static ValidatableResponse append(
      Api user, String sessionId, String role, String content, String key) {
    return user.request()
        .header("Idempotency-Key", key)
        .body(Map.of("role", role, "content", content))
        .post("/api/v1/sessions/{id}/messages", sessionId)
        .then();
  }

  private static long rows(String sessionId) {
    return TestDatabase.queryLong(
        TestInfrastructure.DATABASE,
        "select count(*) from messages where session_id = ?::uuid",
        sessionId);
  }

  /** The message.appended events, each event id once (delivery is at least once). */
  private static List<MessageAppended> appendedOf(List<CloudEvent<EventData>> events) {
    return events.stream()
        .collect(Collectors.toMap(CloudEvent::id, e -> e, (a, b) -> a, LinkedHashMap::new))
        .values()
        .stream()
        .filter(e -> e.data() instanceof MessageAppended)
        .map(e -> (MessageAppended) e.data())
        .toList();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
