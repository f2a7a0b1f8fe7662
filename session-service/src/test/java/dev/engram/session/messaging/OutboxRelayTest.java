package dev.engram.session.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.MessageAppended;
import dev.engram.events.SessionCreated;
import dev.engram.events.SessionLinked;
import dev.engram.events.SessionStateChanged;
import dev.engram.events.SessionStatus;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.session.Api;
import dev.engram.session.TestInfrastructure;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.EmbeddedKafka.ConsumedEvent;
import dev.engram.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OutboxRelayTest {

  private static final Duration DELIVERY = Duration.ofSeconds(60);
  private final EmbeddedKafka kafka = EmbeddedKafka.shared();

  @Test
  void everyChangeIsPublishedInOrderKeyedByTheUser() {
    Api alice = Api.newUser();
    String first = alice.createSession(Map.of("title", "First", "tags", List.of("t")));
    alice.append(first, "one").statusCode(201);
    alice.append(first, "two").statusCode(201);
    alice.transition(first, "pause").statusCode(200);
    String second = alice.createSession("Second");
    alice
        .request()
        .body(Map.of("parentSessionId", first))
        .post("/api/v1/sessions/{id}/link", second)
        .then()
        .statusCode(200);

    List<CloudEvent<EventData>> events = distinct(eventsOf(alice, 6));
    assertThat(events)
        .extracting(CloudEvent::type)
        .containsExactly(
            "session.created",
            "message.appended",
            "message.appended",
            "session.state-changed",
            "session.created",
            "session.linked");
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.userId()).isEqualTo(alice.user());
              assertThat(e.source()).isEqualTo(Sources.SESSION_SERVICE);
            });
    SessionCreated created = (SessionCreated) events.get(0).data();
    assertThat(created.sessionId().toString()).isEqualTo(first);
    assertThat(created.title()).isEqualTo("First");
    assertThat(created.tags()).containsExactly("t");
    assertThat(events.subList(1, 3))
        .extracting(e -> (MessageAppended) e.data())
        .extracting(MessageAppended::sequence, MessageAppended::content)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "one"),
            org.assertj.core.groups.Tuple.tuple(2L, "two"));
    SessionStateChanged paused = (SessionStateChanged) events.get(3).data();
    assertThat(paused.from()).isEqualTo(SessionStatus.ACTIVE);
    assertThat(paused.to()).isEqualTo(SessionStatus.PAUSED);
    SessionLinked linked = (SessionLinked) events.get(5).data();
    assertThat(linked.sessionId().toString()).isEqualTo(second);
    assertThat(linked.parentSessionId().toString()).isEqualTo(first);

    await()
        .atMost(DELIVERY)
        .untilAsserted(
            () ->
                assertThat(
                        TestDatabase.queryLong(
                            TestInfrastructure.DATABASE,
                            "select count(*) from outbox where user_id = ?",
                            alice.user()))
                    .as("sent rows are marked and purged")
                    .isZero());
  }

  @Test
  void aSessionWithoutAParentIsStoredWithItsOneEvent() {
    Api alice = Api.newUser();
    String id =
        alice.createSession(
            Map.of(
                "title", "Solo",
                "tags", List.of("a", "b", "a"),
                "metadata", Map.of("createdBy", "orchestrator", "n", 2)));
    alice.append(id, "hello").statusCode(201).body("sequence", org.hamcrest.Matchers.equalTo(1));
    String createdAt =
        alice
            .request()
            .get("/api/v1/sessions/{id}", id)
            .then()
            .statusCode(200)
            .body("title", org.hamcrest.Matchers.equalTo("Solo"))
            .body("status", org.hamcrest.Matchers.equalTo("ACTIVE"))
            .body("tags", org.hamcrest.Matchers.contains("a", "b"))
            .body("metadata.createdBy", org.hamcrest.Matchers.equalTo("orchestrator"))
            .body("metadata.n", org.hamcrest.Matchers.equalTo(2))
            .body("parentSessionId", org.hamcrest.Matchers.nullValue())
            .body("messageCount", org.hamcrest.Matchers.equalTo(1))
            .extract()
            .path("createdAt");

    List<CloudEvent<EventData>> events = distinct(eventsOf(alice, 2));
    assertThat(events)
        .extracting(CloudEvent::type)
        .containsExactly("session.created", "message.appended");
    SessionCreated created = (SessionCreated) events.get(0).data();
    assertThat(created.sessionId().toString()).isEqualTo(id);
    assertThat(created.title()).isEqualTo("Solo");
    assertThat(created.tags()).containsExactly("a", "b");
    assertThat(created.metadata()).containsEntry("createdBy", "orchestrator");
    assertThat(created.parentSessionId()).isNull();
    assertThat(created.status()).isEqualTo(SessionStatus.ACTIVE);
    assertThat(created.createdAt()).isEqualTo(java.time.Instant.parse(createdAt));
    assertThat(((MessageAppended) events.get(1).data()).sequence()).isEqualTo(1);
  }

  @Test
  void anAppendedMessagesEventCarriesItsSequenceWhateverItsContentAndMetadataSay() {
    Api alice = Api.newUser();
    String session = alice.createSession("Tricky");
    String lookalike = "\"sequence\":" + Long.MIN_VALUE;
    Map<String, Object> metadata = Map.of("sequence", Long.MIN_VALUE, "note", lookalike);
    alice.append(session, "first").statusCode(201);
    alice
        .request()
        .body(Map.of("role", "assistant", "content", lookalike, "metadata", metadata))
        .post("/api/v1/sessions/{id}/messages", session)
        .then()
        .statusCode(201)
        .body("sequence", org.hamcrest.Matchers.equalTo(2));

    MessageAppended second =
        (MessageAppended)
            distinct(eventsOf(alice, 3)).stream()
                .filter(e -> e.data() instanceof MessageAppended m && m.sequence() != 1)
                .findFirst()
                .orElseThrow()
                .data();
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(second.content()).isEqualTo(lookalike);
    assertThat(second.metadata())
        .containsEntry("sequence", Long.MIN_VALUE)
        .containsEntry("note", lookalike);
  }

  @Test
  void recordsCarryTheRequestsTraceContextAndContentType() {
    Api alice = Api.newUser();
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String id =
        alice
            .request()
            .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
            .body(Map.of("title", "Traced"))
            .post("/api/v1/sessions")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    List<ConsumedEvent> records =
        kafka.readUntil(
            Topics.SESSIONS,
            read -> read.stream().anyMatch(r -> r.key().equals(alice.user())),
            DELIVERY);
    ConsumedEvent record =
        records.stream().filter(r -> r.key().equals(alice.user())).findFirst().orElseThrow();
    assertThat(((SessionCreated) record.event().data()).sessionId().toString()).isEqualTo(id);
    assertThat(header(record, "traceparent")).startsWith("00-" + traceId + "-");
    assertThat(header(record, "content-type")).isEqualTo(CloudEvent.CONTENT_TYPE);
  }

  @Test
  void writesAreAcceptedWhileKafkaIsDownAndAllDeliveredWhenItReturns() {
    Api alice = Api.newUser();
    kafka.stopBroker();
    String id;
    try {
      id = alice.createSession("During the outage");
      for (int i = 1; i <= 5; i++) {
        alice.append(id, "offline " + i).statusCode(201);
      }
      alice.transition(id, "complete").statusCode(200);
      assertThat(
              TestDatabase.queryLong(
                  TestInfrastructure.DATABASE,
                  "select count(*) from outbox where user_id = ? and sent_at is null",
                  alice.user()))
          .isEqualTo(7);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503));
    } finally {
      kafka.startBroker();
    }

    List<CloudEvent<EventData>> events = distinct(eventsOf(alice, 7));
    assertThat(events)
        .extracting(CloudEvent::type)
        .containsExactly(
            "session.created",
            "message.appended",
            "message.appended",
            "message.appended",
            "message.appended",
            "message.appended",
            "session.state-changed");
    assertThat(events.subList(1, 6))
        .extracting(e -> ((MessageAppended) e.data()).sequence())
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
  }

  private List<CloudEvent<EventData>> eventsOf(Api user, int atLeast) {
    return kafka.eventsForUser(
        Topics.SESSIONS, user.user(), read -> distinct(read).size() >= atLeast, DELIVERY);
  }

  /** Delivery is at least once; like every consumer, count each event id once. */
  private static List<CloudEvent<EventData>> distinct(List<CloudEvent<EventData>> events) {
    return List.copyOf(
        events.stream()
            .collect(
                Collectors.toMap(
                    CloudEvent::id, Function.identity(), (a, b) -> a, LinkedHashMap::new))
            .values());
  }

  private static String header(ConsumedEvent record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
