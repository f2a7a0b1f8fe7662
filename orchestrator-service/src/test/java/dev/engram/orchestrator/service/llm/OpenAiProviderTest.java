package dev.engram.orchestrator.service.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.api.ProblemException;
import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.fixtures.Fixtures;
import dev.engram.orchestrator.fixtures.OpenAiFixture;
import dev.engram.orchestrator.service.context.AssembledContext;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible provider against a real local server speaking the streaming protocol. A
 * Quarkus test because SmallRye Fault Tolerance's guards live in the application.
 */
@QuarkusTest
class OpenAiProviderTest {

  private static OpenAiFixture server;
  @Inject Vertx vertx;
  @Inject ObjectMapper mapper;

  @BeforeAll
  static void start() {
    server = new OpenAiFixture(Fixtures.vertx());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private record Settings(
      Optional<String> baseUrl,
      String model,
      Optional<String> apiKey,
      Duration connectTimeout,
      Duration idleTimeout,
      int maxRetries,
      Duration retryDelay,
      int circuitBreakerVolume,
      Duration circuitBreakerDelay,
      double temperature)
      implements OrchestratorConfig.Provider {}

  private OpenAiProvider provider(int retries, Duration connect, Duration idle, int volume) {
    return provider(retries, connect, idle, volume, Duration.ofMillis(10), Optional.of("sk-test"));
  }

  private OpenAiProvider provider(
      int retries,
      Duration connect,
      Duration idle,
      int volume,
      Duration retryDelay,
      Optional<String> key) {
    return new OpenAiProvider(
        vertx,
        mapper,
        new Settings(
            Optional.of(server.baseUrl()),
            "test-model",
            key,
            connect,
            idle,
            retries,
            retryDelay,
            volume,
            Duration.ofMinutes(5),
            0.2));
  }

  /** What a stream delivered before it ended, and how it ended (null: completed). */
  private record Outcome(List<String> deltas, Throwable failure) {}

  private static Outcome outcome(OpenAiProvider provider) {
    List<String> deltas = new CopyOnWriteArrayList<>();
    try {
      provider.stream(prompt("hi"))
          .onItem()
          .invoke(deltas::add)
          .collect()
          .asList()
          .await()
          .atMost(Duration.ofSeconds(20));
      return new Outcome(deltas, null);
    } catch (RuntimeException e) {
      return new Outcome(deltas, e);
    }
  }

  private static Prompt prompt(String text) {
    return new Prompt(
        List.of(new ChatMessage("system", "be brief"), new ChatMessage("user", text)),
        new AssembledContext(text, List.of(), List.of(), 100, List.of()),
        null);
  }

  private static List<String> run(OpenAiProvider provider) {
    return provider.stream(prompt("hi")).collect().asList().await().atMost(Duration.ofSeconds(20));
  }

  @Test
  void streamsTheDeltasAndSendsModelMessagesAndKey() {
    server.normal().answer(List.of("Hel", "lo", " world"));
    assertThat(run(provider(0, Duration.ofSeconds(5), Duration.ofSeconds(5), 20)))
        .containsExactly("Hel", "lo", " world");
    var request = server.requests().get(server.requests().size() - 1);
    assertThat(request.body().getString("model")).isEqualTo("test-model");
    assertThat(request.body().getBoolean("stream")).isTrue();
    assertThat(request.body().getJsonArray("messages").getJsonObject(1).getString("content"))
        .isEqualTo("hi");
    assertThat(request.headers().getAll("Authorization")).containsExactly("Bearer sk-test");
    assertThat(request.headers().get("Accept")).isEqualTo("text/event-stream");
  }

  @Test
  void withoutAKeyNoAuthorizationIsSent() {
    server.normal().answer(List.of("ok"));
    OpenAiProvider provider =
        provider(
            0,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            20,
            Duration.ofMillis(10),
            Optional.empty());
    assertThat(run(provider)).containsExactly("ok");
    var request = server.requests().get(server.requests().size() - 1);
    assertThat(request.headers().contains("Authorization")).isFalse();
  }

  @Test
  void transientFailuresAreRetriedWithBackoff() {
    server.answer(List.of("ok")).failNext(2, 503);
    int before = server.requests().size();
    Duration delay = Duration.ofMillis(150);
    OpenAiProvider provider =
        provider(2, Duration.ofSeconds(5), Duration.ofSeconds(5), 20, delay, Optional.of("k"));
    assertThat(run(provider)).containsExactly("ok");
    var attempts = server.requests().subList(before, server.requests().size());
    assertThat(attempts).hasSize(3);
    // exponential backoff: the first retry waits the configured delay, the second twice that
    // (lower bounds only: how much longer they took is the scheduler's business)
    long first = attempts.get(1).receivedNanos() - attempts.get(0).receivedNanos();
    long second = attempts.get(2).receivedNanos() - attempts.get(1).receivedNanos();
    assertThat(TimeUnit.NANOSECONDS.toMillis(first)).isGreaterThanOrEqualTo(delay.toMillis());
    assertThat(TimeUnit.NANOSECONDS.toMillis(second)).isGreaterThanOrEqualTo(2 * delay.toMillis());
  }

  @Test
  void theIdleTimeoutStartsOnceTheHeadersAreIn() {
    // two attempts fail slowly, the third answers: the retries take longer than the idle timeout,
    // which only bounds the silence between chunks of a stream that has begun
    server.answer(List.of("late", " but", " fine")).failNext(2, 503, 400);
    int before = server.requests().size();
    assertThat(run(provider(2, Duration.ofSeconds(2), Duration.ofMillis(300), 20)))
        .containsExactly("late", " but", " fine");
    assertThat(server.requests().size() - before).isEqualTo(3);

    // headers slower than the idle timeout (within the connect timeout) are no silence either
    server.slowHeaders(600);
    assertThat(run(provider(0, Duration.ofSeconds(2), Duration.ofMillis(300), 20)))
        .containsExactly("late", " but", " fine");
    server.normal();
  }

  @Test
  void clientErrorsAreNotRetried() {
    server.failNext(3, 400);
    int before = server.requests().size();
    assertThatThrownBy(() -> run(provider(2, Duration.ofSeconds(5), Duration.ofSeconds(5), 20)))
        .isInstanceOf(ProblemException.class)
        .satisfies(
            e ->
                assertThat(((ProblemException) e).problem().type())
                    .endsWith("/provider-unavailable"));
    assertThat(server.requests().size() - before).isEqualTo(1);
    server.normal();
  }

  @Test
  void slowHeadersTimeOut() {
    server.slowHeaders(3000);
    assertThatThrownBy(() -> run(provider(0, Duration.ofMillis(300), Duration.ofSeconds(5), 20)))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("timed out");
    server.normal();
  }

  @Test
  void aStreamThatFallsSilentFailsAfterTheIdleTimeoutAndIsNotRetried() {
    server.answer(List.of("first", " second")).stallMidStream(3000);
    int before = server.requests().size();
    int abandoned = server.abandoned();
    Outcome outcome = outcome(provider(2, Duration.ofSeconds(5), Duration.ofMillis(300), 20));
    assertThat(outcome.failure())
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("silent");
    // a retry would repeat what was streamed: one request, the first delta once
    assertThat(outcome.deltas()).containsExactly("first");
    assertThat(server.requests().size() - before).isEqualTo(1);
    // the stream given up on is closed, long before the server would have gone on
    await().atMost(Duration.ofSeconds(2)).until(() -> server.abandoned() == abandoned + 1);
    server.normal();
  }

  @Test
  void aStreamCutMidwayFailsAndIsNotRetried() {
    server.answer(List.of("first", " second")).cutMidStream();
    int before = server.requests().size();
    Outcome outcome = outcome(provider(2, Duration.ofSeconds(5), Duration.ofSeconds(5), 20));
    assertThat(outcome.failure())
        .isInstanceOf(ProblemException.class)
        .satisfies(
            e ->
                assertThat(((ProblemException) e).problem().type())
                    .endsWith("/provider-unavailable"));
    assertThat(outcome.deltas()).containsExactly("first");
    assertThat(server.requests().size() - before).isEqualTo(1);
    server.normal();
  }

  @Test
  void theCircuitOpensAfterRepeatedFailuresAndFailsFast() {
    OpenAiProvider provider = provider(0, Duration.ofSeconds(5), Duration.ofSeconds(5), 2);
    server.failNext(100, 500);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> run(provider)).isInstanceOf(ProblemException.class);
    }
    int before = server.requests().size();
    assertThatThrownBy(() -> run(provider))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("circuit is open");
    assertThat(server.requests().size()).isEqualTo(before);
    server.normal();
  }

  @Test
  void streamsCutMidwayCountTowardTheCircuitBreaker() {
    OpenAiProvider provider = provider(0, Duration.ofSeconds(5), Duration.ofSeconds(5), 2);
    server.answer(List.of("first", " second")).cutMidStream();
    for (int i = 0; i < 2; i++) {
      assertThat(outcome(provider).failure()).isInstanceOf(ProblemException.class);
    }
    int before = server.requests().size();
    assertThatThrownBy(() -> run(provider))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("circuit is open");
    assertThat(server.requests().size()).isEqualTo(before);
    server.normal();
  }
}
