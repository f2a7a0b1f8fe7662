package dev.engram.orchestrator.service.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    return new OpenAiProvider(
        vertx,
        mapper,
        new Settings(
            Optional.of(server.baseUrl()),
            "test-model",
            Optional.of("sk-test"),
            connect,
            idle,
            retries,
            Duration.ofMillis(10),
            volume,
            Duration.ofMinutes(5),
            0.2));
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
    assertThat(request.getString("model")).isEqualTo("test-model");
    assertThat(request.getBoolean("stream")).isTrue();
    assertThat(request.getJsonArray("messages").getJsonObject(1).getString("content"))
        .isEqualTo("hi");
  }

  @Test
  void transientFailuresAreRetriedWithBackoff() {
    server.answer(List.of("ok")).failNext(2, 503);
    int before = server.requests().size();
    assertThat(run(provider(2, Duration.ofSeconds(5), Duration.ofSeconds(5), 20)))
        .containsExactly("ok");
    assertThat(server.requests().size() - before).isEqualTo(3);
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
  void aStreamThatFallsSilentFailsAfterTheIdleTimeout() {
    server.answer(List.of("first", " second")).stallMidStream(3000);
    assertThatThrownBy(() -> run(provider(0, Duration.ofSeconds(5), Duration.ofMillis(300), 20)))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("no token");
    server.normal();
  }

  @Test
  void aStreamCutMidwayFails() {
    server.answer(List.of("first", " second")).cutMidStream();
    assertThatThrownBy(() -> run(provider(0, Duration.ofSeconds(5), Duration.ofSeconds(5), 20)))
        .isInstanceOf(ProblemException.class);
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
}
