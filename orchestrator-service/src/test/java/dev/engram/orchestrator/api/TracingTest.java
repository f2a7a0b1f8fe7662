package dev.engram.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.events.Topics;
import dev.engram.orchestrator.fixtures.FixtureServer;
import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.TestTokens;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * One trace runs from a WebSocket turn through the REST calls it makes: the turn's span is the
 * parent of the client spans of its calls to session-service and memory-service, and each call
 * carries that trace in its {@code traceparent} header (as the fixtures received it).
 */
@QuarkusTest
class TracingTest {

  @TestHTTPResource("/")
  URI base;

  @Inject InMemorySpanExporter spans;

  @Test
  void aWebSocketTurnIsOneTraceThroughItsRestCalls() {
    String user = Broker.freshUser("trace");
    Fixtures.memories().addMemory(user, "I keep bees on the roof", java.time.Instant.now());
    // a session of the user's with a message: the turn reads its last messages (a turn that
    // creates its session has none to read)
    String session =
        io.restassured.RestAssured.given()
            .baseUri(Fixtures.sessions().url())
            .auth()
            .oauth2(TestTokens.forUser(user))
            .contentType("application/json")
            .body(Map.of("title", "bees"))
            .post("/api/v1/sessions")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      spans.reset();
      chat.send(
          new io.vertx.core.json.JsonObject()
              .put("type", "user_message")
              .put("content", "What do I keep on the roof?")
              .put("clientMessageId", "t-1")
              .put("sessionId", session));
      chat.await("done", f -> "t-1".equals(f.getString("clientMessageId")));
    }

    SpanData turn =
        await().atMost(Duration.ofSeconds(30)).until(() -> span("TurnService.run"), s -> s != null);
    String traceId = turn.getTraceId();

    List<FixtureServer.Recorded> calls =
        Stream.concat(
                Fixtures.sessions().requests().stream(), Fixtures.memories().requests().stream())
            .filter(r -> user.equals(r.user()))
            .filter(r -> r.traceparent() != null && r.traceparent().contains(traceId))
            .toList();
    // the user's message and the answer stored, the session's last messages, the recall of
    // long-term memories and procedures, and the facts: every one of the turn's calls is in the
    // turn's trace
    assertThat(calls)
        .extracting(r -> r.method() + " " + r.path().replaceAll("\\?.*", ""))
        .contains("POST /api/v1/recall", "GET /api/v1/facts")
        .anyMatch(c -> c.matches("POST /api/v1/sessions/.*/messages"))
        .anyMatch(c -> c.matches("GET /api/v1/sessions/.*/context"));
    assertThat(
            calls.stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/messages")))
        .hasSize(2);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<SpanData> trace =
                  spans.getFinishedSpanItems().stream()
                      .filter(s -> s.getTraceId().equals(traceId))
                      .toList();
              Map<String, SpanData> byId =
                  trace.stream()
                      .collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
              List<SpanData> clients =
                  trace.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
              assertThat(clients).hasSizeGreaterThanOrEqualTo(calls.size());
              // each client span descends from the turn's span
              for (SpanData client : clients) {
                assertThat(descendsFrom(client, turn, byId)).as(client.getName()).isTrue();
              }
              assertThat(trace)
                  .extracting(SpanData::getName)
                  .contains(
                      "IntakeStage.accept",
                      "ContextStage.build",
                      "ContextGatherer.gather",
                      "AnswerStage.answer");
            });
  }

  @Test
  void turnCompletedCarriesTheTraceOfItsTurn() {
    String user = Broker.freshUser("trace-kafka");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      chat.say("Remember that I water the bees at noon", "t-2");
      chat.await("done", f -> "t-2".equals(f.getString("clientMessageId")));
    }
    List<EmbeddedKafka.ConsumedEvent> published =
        EmbeddedKafka.shared()
            .readUntil(
                Topics.TURNS,
                read -> read.stream().anyMatch(e -> user.equals(e.key())),
                Duration.ofSeconds(20))
            .stream()
            .filter(e -> user.equals(e.key()))
            .toList();
    assertThat(published).hasSize(1);
    Header header = published.get(0).headers().lastHeader("traceparent");
    assertThat(header).as("traceparent header").isNotNull();
    // W3C: version-traceid-spanid-flags
    String traceId = new String(header.value(), StandardCharsets.UTF_8).split("-")[1];
    // the trace is the turn's own: its span is in it
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                    .anyMatch(
                        s ->
                            s.getName().equals("TurnService.run")
                                && s.getTraceId().equals(traceId)));
  }

  private SpanData span(String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static boolean descendsFrom(
      SpanData span, SpanData ancestor, Map<String, SpanData> byId) {
    SpanData current = span;
    while (current != null) {
      if (current.getSpanId().equals(ancestor.getSpanId())) {
        return true;
      }
      current = byId.get(current.getParentSpanId());
    }
    return false;
  }
}
