package dev.engram.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.orchestrator.fixtures.OpenAiFixture;
import dev.engram.orchestrator.service.llm.OfflineResponder;
import dev.engram.testing.TestTokens;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Turns answered by a model: the OpenAI-compatible provider against {@link OpenAiFixture}, a real
 * local server speaking the streaming protocol, over {@code /ws/chat} and {@code POST
 * /api/v1/turns}. The model's deltas reach every tab and are stored as the answer; a provider that
 * fails (5xx on every attempt, a stream cut or stalled midway) ends the turn with a {@code
 * provider-unavailable} problem, keeps the user's message, stores no answer and leaves the socket
 * usable.
 */
@QuarkusTest
@TestProfile(ModelProfile.class)
class ModelTurnTest {

  private static final String PROVIDER_PROBLEM = "https://engram.dev/problems/provider-unavailable";

  @TestHTTPResource("/")
  URI base;

  @Inject InMemorySpanExporter spans;

  private final OpenAiFixture model = Fixtures.openAi();

  @Test
  void theModelsDeltasAreStreamedInOrderAndItsAnswerIsStored() {
    String user = Broker.freshUser("model");
    List<String> deltas = List.of("Bees", " sleep", " in", " the", " hive", ".");
    model.normal().answer(deltas);
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      int before = model.requests().size();
      spans.reset();
      chat.say("Where do bees sleep at night?", "m-1");

      JsonObject done = chat.await("done", f -> "m-1".equals(f.getString("clientMessageId")));
      List<JsonObject> tokens = framesOf(chat, "token", "m-1");
      // in order: the first delta at once, the rest as they came (a burst may share a frame)
      assertThat(tokens)
          .extracting(f -> f.getInteger("index"))
          .containsExactlyElementsOf(
              java.util.stream.IntStream.range(0, tokens.size()).boxed().toList());
      assertThat(tokens.get(0).getString("delta")).isEqualTo("Bees");
      String streamed =
          tokens.stream().map(f -> f.getString("delta")).collect(Collectors.joining());
      assertThat(streamed).isEqualTo(String.join("", deltas));
      assertThat(done.getString("content")).isEqualTo(streamed);
      assertThat(done.getString("provider")).isEqualTo("openai");
      assertThat(done.getBoolean("offline")).isFalse();
      assertThat(done.getString("content")).doesNotContain(OfflineResponder.LABEL);

      // stored in session-service: the question, then the model's answer
      List<JsonObject> stored =
          Fixtures.sessions().messagesOf(UUID.fromString(done.getString("sessionId")));
      assertThat(stored).extracting(m -> m.getString("role")).containsExactly("user", "assistant");
      assertThat(stored.get(1).getString("id")).isEqualTo(done.getString("messageId"));
      assertThat(stored.get(1).getString("content")).isEqualTo("Bees sleep in the hive.");
      assertThat(stored.get(1).getJsonObject("metadata").getString("provider")).isEqualTo("openai");
      assertThat(stored.get(1).getJsonObject("metadata").getBoolean("offline")).isFalse();

      // one request to the model: its name, the key, the context as a system message first, the
      // user's message last
      List<OpenAiFixture.Request> requests =
          model.requests().subList(before, model.requests().size());
      assertThat(requests).hasSize(1);
      OpenAiFixture.Request request = requests.get(0);
      assertThat(request.headers().get("Authorization"))
          .isEqualTo("Bearer " + ModelProfile.Model.API_KEY);
      assertThat(request.body().getString("model")).isEqualTo(ModelProfile.MODEL);
      JsonArray messages = request.body().getJsonArray("messages");
      assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("system");
      JsonObject last = messages.getJsonObject(messages.size() - 1);
      assertThat(last.getString("role")).isEqualTo("user");
      assertThat(last.getString("content")).isEqualTo("Where do bees sleep at night?");

      // the call to the model is in the turn's trace: its client span descends from the turn's
      // span, and the request carried that trace
      SpanData turn =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> span("TurnService.run"), s -> s != null);
      assertThat(request.headers().get("traceparent")).contains(turn.getTraceId());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                List<SpanData> trace =
                    spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getTraceId().equals(turn.getTraceId()))
                        .toList();
                Map<String, SpanData> byId =
                    trace.stream()
                        .collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
                assertThat(trace)
                    .filteredOn(s -> s.getKind() == SpanKind.CLIENT)
                    .filteredOn(ModelTurnTest::callsTheModel)
                    .singleElement()
                    .satisfies(s -> assertThat(descendsFrom(s, turn, byId)).isTrue());
              });
    }
  }

  /** One way of failing, and how many requests the model gets for it. */
  private record Failure(String name, Runnable arm, int requests) {}

  @Test
  void aFailingModelEndsTheTurnWithAProblemKeepsTheMessageAndTheSocketStaysUsable() {
    String user = Broker.freshUser("model-fail");
    try (ChatClient chat = ChatClient.connect(base, TestTokens.forUser(user), null)) {
      chat.await("hello");
      model.normal().answer(List.of("Fine", ", thanks."));
      chat.say("Hello there", "first");
      UUID session =
          UUID.fromString(
              chat.await("done", f -> "first".equals(f.getString("clientMessageId")))
                  .getString("sessionId"));

      List<Failure> failures =
          List.of(
              // every attempt (the first and both retries) answers 503
              new Failure("5xx", () -> model.failNext(3, 503), 3),
              // the first delta, then the connection is closed: not retried (it would repeat it)
              new Failure("cut", model::cutMidStream, 1),
              // the first delta, then silence longer than the idle timeout
              new Failure("stall", () -> model.stallMidStream(5_000), 1));
      for (Failure failure : failures) {
        String id = "fails-" + failure.name();
        int before = model.requests().size();
        failure.arm().run();
        chat.say("Are you there? (" + failure.name() + ")", id);

        JsonObject error = chat.await("error", f -> id.equals(f.getString("clientMessageId")));
        JsonObject problem = error.getJsonObject("problem");
        assertThat(problem.getString("type")).as(failure.name()).isEqualTo(PROVIDER_PROBLEM);
        assertThat(problem.getInteger("status")).isEqualTo(502);
        assertThat(problem.getString("detail")).contains("your message was kept");
        assertThat(framesOf(chat, "done", id)).as(failure.name()).isEmpty();
        assertThat(model.requests().size() - before)
            .as(failure.name())
            .isEqualTo(failure.requests());

        // the user's message is stored (and shown in every tab), no answer after it
        assertThat(framesOf(chat, "message", id)).hasSize(1);
        List<JsonObject> stored = Fixtures.sessions().messagesOf(session);
        JsonObject lastStored = stored.get(stored.size() - 1);
        assertThat(lastStored.getString("role")).as(failure.name()).isEqualTo("user");
        assertThat(lastStored.getString("content"))
            .isEqualTo("Are you there? (" + failure.name() + ")");

        // the socket stays usable: once the model is back, the next turn is answered
        model.normal();
        String again = "again-" + failure.name();
        chat.say("And now?", again);
        JsonObject done = chat.await("done", f -> again.equals(f.getString("clientMessageId")));
        assertThat(done.getString("content")).isEqualTo("Fine, thanks.");
        assertThat(chat.closed()).isFalse();
      }
      // every turn's question is stored, answers only for the turns that were answered
      assertThat(Fixtures.sessions().messagesOf(session))
          .extracting(m -> m.getString("role"))
          .containsExactly(
              "user",
              "assistant",
              "user",
              "user",
              "assistant",
              "user",
              "user",
              "assistant",
              "user",
              "user",
              "assistant");
    }
  }

  @Test
  void theRetriesOfATurnAreInItsTrace() {
    String user = Broker.freshUser("model-retry");
    model.answer(List.of("Third", " time.")).failNext(2, 503);
    int before = model.requests().size();
    String content =
        given()
            .auth()
            .oauth2(TestTokens.forUser(user))
            .contentType("application/json")
            .body(Map.of("content", "Knock knock"))
            .post("/api/v1/turns")
            .then()
            .statusCode(200)
            .extract()
            .path("content");
    assertThat(content).isEqualTo("Third time.");
    List<OpenAiFixture.Request> attempts =
        model.requests().subList(before, model.requests().size());
    assertThat(attempts).hasSize(3);
    String trace = attempts.get(0).headers().get("traceparent").split("-")[1];
    assertThat(attempts)
        .allSatisfy(a -> assertThat(a.headers().get("traceparent")).contains(trace));
  }

  @Test
  void aRestTurnWithAFailingModelIsA502ProblemAndKeepsTheMessage() {
    String user = Broker.freshUser("model-rest");
    String token = TestTokens.forUser(user);
    String session =
        given()
            .baseUri(Fixtures.sessions().url())
            .auth()
            .oauth2(token)
            .contentType("application/json")
            .body(Map.of("title", "questions"))
            .post("/api/v1/sessions")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    model.failNext(3, 500);
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("sessionId", session, "content", "Is anyone home?"))
        .post("/api/v1/turns")
        .then()
        .statusCode(502)
        .contentType("application/problem+json")
        .body("type", endsWith("/provider-unavailable"))
        .body("status", org.hamcrest.Matchers.is(502))
        .body("detail", containsString("your message was kept"));
    assertThat(Fixtures.sessions().messagesOf(UUID.fromString(session)))
        .extracting(m -> m.getString("role") + ": " + m.getString("content"))
        .containsExactly("user: Is anyone home?");

    model.normal().answer(List.of("Yes."));
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("sessionId", session, "content", "Is anyone home now?"))
        .post("/api/v1/turns")
        .then()
        .statusCode(200)
        .body("content", org.hamcrest.Matchers.is("Yes."))
        .body("offline", org.hamcrest.Matchers.is(false));
  }

  private static List<JsonObject> framesOf(ChatClient chat, String type, String clientMessageId) {
    return chat.frames(type).stream()
        .filter(f -> clientMessageId.equals(f.getString("clientMessageId")))
        .toList();
  }

  private static boolean callsTheModel(SpanData span) {
    return span.getAttributes().asMap().values().stream()
        .anyMatch(value -> String.valueOf(value).contains("/v1/chat/completions"));
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
