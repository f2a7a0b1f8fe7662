package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.FactExtracted;
import dev.engram.events.MessageAppended;
import dev.engram.events.MessageRole;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.events.UserErased;
import dev.engram.memory.index.VectorIndex;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestDatabase;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SessionEventsConsumerTest {

  static final String DB = "engram_memory_test";

  @Inject InMemorySpanExporter spans;
  @Inject VectorIndex index;

  static long count(String sql, Object... params) {
    return TestDatabase.queryLong(DB, sql, params);
  }

  @Test
  void turnsMessagesIntoEpisodicMemoriesExactlyOnce() {
    String user = Api.newUser("kafka");
    UUID session = UUID.randomUUID();
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    CloudEvent<MessageAppended> first =
        Messages.appended(user, session, 1, MessageRole.USER, "I adopted a grey kitten today", at);
    EmbeddedKafka.shared().publish(first);
    EmbeddedKafka.shared()
        .publish(
            Messages.appended(
                user, session, 2, MessageRole.ASSISTANT, "Congratulations! What's its name?", at));
    EmbeddedKafka.shared()
        .publish(Messages.appended(user, session, 3, MessageRole.SYSTEM, "be brief", at));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select count(*) from memory where user_id = ?", user) == 2);
    // searchable as soon as it is stored: no request or later pass needed
    Api.search(user, Map.of("query", "what pet did I adopt?", "k", 5))
        .statusCode(200)
        .body("hits[0].memory.content", equalTo("I adopted a grey kitten today"))
        .body("hits[0].memory.sourceMessageId", equalTo(first.data().messageId().toString()))
        .body("hits.memory.content", not(hasItem("be brief")));

    // the same event again (a redelivery), then a marker to know the consumer got past it
    EmbeddedKafka.shared().publish(first);
    EmbeddedKafka.shared()
        .publish(Messages.appended(user, session, 4, MessageRole.USER, "Her name is Miso", at));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select count(*) from memory where user_id = ?", user) == 3);
    assertThat(
            count(
                "select count(*) from memory where user_id = ? and content like ?",
                user,
                "%kitten%"))
        .isEqualTo(1);
    Api.search(user, Map.of("query", "grey kitten", "k", 10))
        .statusCode(200)
        .body("hits.findAll { it.memory.content.contains('kitten') }", hasSize(1));

    as(user)
        .queryParam("sessionId", session.toString())
        .get("/api/v1/memories")
        .then()
        .statusCode(200)
        .body("items", hasSize(3))
        .body("items.role", hasItem("assistant"))
        .body("items.sourceMessageId", hasItem(first.data().messageId().toString()))
        .body("items.occurredAt", hasItem("2026-03-01T10:00:00Z"));
  }

  @Test
  void anOfflineRespondersAnswerIsNotRemembered() {
    String user = Api.newUser("offline");
    UUID session = UUID.randomUUID();
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    EmbeddedKafka.shared()
        .publish(
            Messages.appended(user, session, 1, MessageRole.USER, "My kitten is called Miso", at));
    EmbeddedKafka.shared()
        .publish(
            Messages.appended(
                user,
                session,
                2,
                MessageRole.ASSISTANT,
                "[offline responder: no language model is configured]\n"
                    + "Here is what I remember that seems related:\n- My kitten is called Miso",
                at,
                Map.of("provider", "offline", "offline", true)));
    // a model's answer is remembered; it comes after the offline one in the user's partition
    EmbeddedKafka.shared()
        .publish(
            Messages.appended(
                user,
                session,
                3,
                MessageRole.ASSISTANT,
                "Miso is a lovely name for a kitten",
                at,
                Map.of("provider", "openai", "offline", false)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select count(*) from memory where user_id = ?", user) == 2);
    assertThat(
            count(
                "select count(*) from memory where user_id = ? and content like '%offline responder%'",
                user))
        .isZero();
    assertThat(count("select count(*) from memory where user_id = ? and role = 'assistant'", user))
        .isEqualTo(1);
  }

  @Test
  void extractsFactsAndSupersedesContradictedOnes() {
    String user = Api.newUser("facts");
    UUID session = UUID.randomUUID();
    Instant at = Instant.parse("2026-01-10T09:00:00Z");
    EmbeddedKafka.shared()
        .publish(
            Messages.appended(
                user, session, 1, MessageRole.USER, "I live in Berlin and I love jazz.", at));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select count(*) from fact where user_id = ?", user) == 2);
    EmbeddedKafka.shared()
        .publish(
            Messages.appended(
                user,
                session,
                2,
                MessageRole.USER,
                "Big news: I moved to Lisbon last week!",
                at.plusSeconds(86_400 * 30)));
    EmbeddedKafka.shared()
        .publish(
            Messages.appended(
                user,
                session,
                3,
                MessageRole.USER,
                "I love jazz, always have.",
                at.plusSeconds(86_400 * 31)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                count("select count(*) from fact where user_id = ?", user) == 3
                    && count(
                            "select count(*) from fact where user_id = ? and confirmations = 2",
                            user)
                        == 1);

    as(user)
        .get("/api/v1/facts")
        .then()
        .statusCode(200)
        .body("items", hasSize(2))
        .body("items.object", hasItem("Lisbon"))
        .body("items.find { it.predicate == 'likes' }.confirmations", equalTo(2));
    as(user)
        .queryParam("history", true)
        .get("/api/v1/facts")
        .then()
        .body("items", hasSize(3))
        .body("items.find { it.object == 'Berlin' }.validTo", org.hamcrest.Matchers.notNullValue());

    List<CloudEvent<EventData>> events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.MEMORIES,
                user,
                read ->
                    read.stream()
                        .anyMatch(
                            e ->
                                e.data() instanceof FactExtracted f
                                    && f.supersededFactId() != null),
                Duration.ofSeconds(30));
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e.data())
                    .isInstanceOfSatisfying(
                        FactExtracted.class,
                        f -> {
                          assertThat(f.predicate()).isEqualTo("lives_in");
                          assertThat(f.supersededFactId()).isNotNull();
                        }));
  }

  @Test
  void erasingAUserRemovesRowsVectorsAndCaches() {
    String user = Api.newUser("erase");
    UUID session = UUID.randomUUID();
    Instant at = Instant.now();
    for (int i = 1; i <= 3; i++) {
      EmbeddedKafka.shared()
          .publish(
              Messages.appended(
                  user, session, i, MessageRole.USER, "I love sailing, note " + i, at));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select count(*) from memory where user_id = ?", user) >= 3);
    Api.search(user, Map.of("query", "sailing")).statusCode(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                ":1".equals(RedisServer.shared().command("EXISTS engram:memory:vectors:" + user)));
    assertThat(index.holdsLocally(user)).isTrue();
    assertThat(count("select count(*) from processed_event where user_id = ?", user)).isEqualTo(3);
    // what a lifecycle sweep counts for the user's analytics
    TestDatabase.execute(
        DB,
        "insert into lifecycle_stat (user_id, day, transition, count) values (?, current_date,"
            + " 'DECAYED', 2)",
        user);

    EmbeddedKafka.shared()
        .publish(CloudEvent.of(Sources.SESSION_SERVICE, user, new UserErased(Instant.now(), 1, 3)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select count(*) from memory where user_id = ?", user) == 0);
    assertThat(count("select count(*) from fact where user_id = ?", user)).isZero();
    assertThat(count("select count(*) from memory_cluster where user_id = ?", user)).isZero();
    // the caches (vectors and the lexical terms derived from the content) are dropped right after
    // the rows' transaction commits
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(RedisServer.shared().command("EXISTS engram:memory:vectors:" + user))
                  .isEqualTo(":0");
              assertThat(
                      RedisServer.shared().command("EXISTS engram:memory:vectors-version:" + user))
                  .isEqualTo(":0");
              assertThat(index.holdsLocally(user)).as("vectors in the in-process cache").isFalse();
            });
    // nothing of the erased content is left to publish
    assertThat(count("select count(*) from outbox where record_key = ?", user)).isZero();
    assertThat(count("select count(*) from cache_erasure where user_id = ?", user)).isZero();
    // nor the ids of the events consumed (the user's whole history of event ids)
    assertThat(count("select count(*) from processed_event where user_id = ?", user)).isZero();
    assertThat(count("select count(*) from lifecycle_stat where user_id = ?", user)).isZero();
    Api.search(user, Map.of("query", "sailing")).statusCode(200).body("hits", hasSize(0));
    as(user).get("/api/v1/facts").then().body("items", hasSize(0));
  }

  @Test
  void storesABacklogOfOneUserExactlyOnceWithItsFacts() throws Exception {
    // a backlog produced at once reaches the consumer in a few large polls
    String user = Api.newUser("backlog");
    UUID session = UUID.randomUUID();
    Instant at = Instant.parse("2026-02-01T08:00:00Z");
    Properties props = new Properties();
    props.put("bootstrap.servers", EmbeddedKafka.shared().bootstrapServers());
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    props.put("linger.ms", "20");
    int n = 150;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      for (int i = 1; i <= n; i++) {
        String content =
            switch (i) {
              case 1 -> "I live in Berlin.";
              case 70 -> "Big news: I moved to Lisbon last week!";
              case 140 -> "Big news: I moved to Porto last week!";
              default -> "Note " + i + " of the backlog, nothing to learn here";
            };
        CloudEvent<MessageAppended> event =
            Messages.appended(
                user, session, i, MessageRole.USER, content, at.plusSeconds(3600L * i));
        producer.send(
            new ProducerRecord<>(
                Topics.SESSIONS, user, new dev.engram.events.EventCodec().encode(event)));
      }
      producer.flush();
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                count("select count(*) from memory where user_id = ? and type = 'EPISODIC'", user)
                    == n);
    assertThat(count("select count(distinct sequence) from memory where user_id = ?", user))
        .isEqualTo(n);
    as(user)
        .get("/api/v1/facts")
        .then()
        .statusCode(200)
        .body("items.findAll { it.predicate == 'lives_in' }.object", equalTo(List.of("Porto")));
    as(user)
        .queryParam("history", true)
        .get("/api/v1/facts")
        .then()
        .body("items.findAll { it.predicate == 'lives_in' }", hasSize(3));
    Api.search(user, Map.of("query", "Porto", "k", 5))
        .statusCode(200)
        .body("hits.memory.content", hasItem("Big news: I moved to Porto last week!"));
  }

  @Test
  void continuesTheProducersTrace() throws Exception {
    String user = Api.newUser("trace");
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    CloudEvent<MessageAppended> event =
        Messages.appended(
            user, UUID.randomUUID(), 1, MessageRole.USER, "Tracing is fun", Instant.now());
    Properties props = new Properties();
    props.put("bootstrap.servers", EmbeddedKafka.shared().bootstrapServers());
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              Topics.SESSIONS, user, new dev.engram.events.EventCodec().encode(event));
      record
          .headers()
          .add(
              "traceparent",
              ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select count(*) from memory where user_id = ?", user) == 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(spans.getFinishedSpanItems())
                    .anySatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId)));
    // the events it caused carry the trace on
    var created =
        EmbeddedKafka.shared()
            .readUntil(
                Topics.MEMORIES,
                read -> read.stream().anyMatch(e -> user.equals(e.key())),
                Duration.ofSeconds(30));
    assertThat(created.stream().filter(e -> user.equals(e.key())))
        .allSatisfy(
            e ->
                assertThat(
                        new String(
                            e.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                    .contains(traceId));
  }
}
