package dev.engram.orchestrator.service.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.api.ProblemException;
import dev.engram.orchestrator.config.OrchestratorConfig;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.enterprise.util.TypeLiteral;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenAI-compatible chat-completions provider with streaming ({@code stream: true}, server-sent
 * events); works with OpenAI, Ollama, vLLM and llama.cpp servers.
 *
 * <p>Fault tolerance (SmallRye Fault Tolerance, programmatic guards built from configuration):
 *
 * <ul>
 *   <li>The request up to the response headers: each attempt bounded by the connect timeout,
 *       retried with exponential backoff on connection failures, timeouts, 429 and 5xx. So the
 *       header phase is bounded by (retries + 1) connect timeouts plus the backoffs.
 *   <li>The stream, once the headers are in: the idle timeout bounds the silence between two
 *       chunks. Once tokens flow the answer cannot be retried without repeating them, so a stream
 *       that breaks or falls silent fails the turn instead.
 *   <li>The whole answer, from the first attempt to the last chunk, is one call of the circuit
 *       breaker, which fails fast while the provider is unhealthy: a provider that keeps cutting or
 *       stalling its streams is as unhealthy as one that refuses requests.
 * </ul>
 */
public final class OpenAiProvider implements LlmProvider {

  private final HttpClient client;
  private final ObjectMapper mapper;
  private final OrchestratorConfig.Provider config;
  private final String url;
  private final TypedGuard<Uni<HttpClientResponse>> attempts;
  private final TypedGuard<Uni<Void>> breaker;

  public OpenAiProvider(Vertx vertx, ObjectMapper mapper, OrchestratorConfig.Provider config) {
    this.mapper = mapper;
    this.config = config;
    this.url = config.baseUrl().orElseThrow().replaceAll("/+$", "") + "/chat/completions";
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setConnectTimeout((int) config.connectTimeout().toMillis()));
    this.attempts =
        TypedGuard.create(new TypeLiteral<Uni<HttpClientResponse>>() {})
            .withDescription("llm-provider-request")
            .withTimeout()
            .duration(config.connectTimeout().toMillis(), ChronoUnit.MILLIS)
            .done()
            .withRetry()
            .maxRetries(config.maxRetries())
            .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
            .jitter(0, ChronoUnit.MILLIS)
            .whenException(OpenAiProvider::retryable)
            .withExponentialBackoff()
            .factor(2)
            .done()
            .done()
            .build();
    this.breaker =
        TypedGuard.create(new TypeLiteral<Uni<Void>>() {})
            .withDescription("llm-provider-answer")
            .withCircuitBreaker()
            .requestVolumeThreshold(config.circuitBreakerVolume())
            .failureRatio(0.75)
            .delay(config.circuitBreakerDelay().toMillis(), ChronoUnit.MILLIS)
            .successThreshold(1)
            .when(OpenAiProvider::retryable)
            .done()
            .build();
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public boolean offline() {
    return false;
  }

  @Override
  public Multi<String> stream(Prompt prompt) {
    Buffer body = body(prompt);
    return Multi.createFrom()
        .<String>emitter(
            out ->
                breaker
                    .get(() -> answer(body, out))
                    .subscribe()
                    .with(ignored -> out.complete(), out::fail))
        .onFailure(failure -> !(failure instanceof ProblemException))
        .transform(failure -> ProblemException.provider(describe(failure), failure));
  }

  /**
   * One answer as one call of the circuit breaker: the request (retried up to its headers), then
   * every delta to {@code out}. Completes when the stream ends, fails when it breaks; a caller that
   * cancels ends the stream and the call, which then says nothing about the provider's health.
   */
  private Uni<Void> answer(Buffer body, MultiEmitter<? super String> out) {
    return Uni.createFrom()
        .emitter(
            done -> {
              AtomicReference<Cancellable> stream = new AtomicReference<>();
              out.onTermination(
                  () -> {
                    if (out.isCancelled()) {
                      Cancellable running = stream.get();
                      if (running != null) {
                        running.cancel();
                      }
                      done.complete(null);
                    }
                  });
              Cancellable running =
                  attempts
                      .get(() -> open(body))
                      .onItem()
                      .transformToMulti(this::deltas)
                      .subscribe()
                      .with(out::emit, done::fail, () -> done.complete(null));
              stream.set(running);
              if (out.isCancelled()) {
                running.cancel();
              }
            });
  }

  private Uni<HttpClientResponse> open(Buffer body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(url)
            .putHeader("Content-Type", "application/json")
            .putHeader("Accept", "text/event-stream");
    config.apiKey().ifPresent(key -> options.putHeader("Authorization", "Bearer " + key));
    return client
        .request(options)
        .flatMap(request -> request.send(body))
        .flatMap(
            response ->
                response.statusCode() == 200
                    ? Uni.createFrom().item(response.pause())
                    : response
                        .body()
                        .onItem()
                        .transformToUni(
                            error ->
                                Uni.createFrom()
                                    .<HttpClientResponse>failure(
                                        new ProviderHttpException(
                                            response.statusCode(), error.toString()))));
  }

  /**
   * The deltas of a response whose headers are in. The idle timeout starts now: the wait for the
   * headers (and its retries) is the connect timeout's business. A stream given up on (silent,
   * broken, or no longer wanted) is reset, so the server stops generating.
   */
  private Multi<String> deltas(HttpClientResponse response) {
    SseDecoder decoder = new SseDecoder();
    return response
        .toMulti()
        .ifNoItem()
        .after(config.idleTimeout())
        .failWith(() -> new TimeoutException("the stream was silent for " + config.idleTimeout()))
        .onItem()
        .transformToIterable(chunk -> decoder.feed(chunk.getBytes()))
        .onCompletion()
        .switchTo(() -> Multi.createFrom().iterable(decoder.finish()))
        .select()
        .where(data -> !data.isBlank())
        .select()
        .first(data -> !"[DONE]".equals(data.trim()))
        .map(this::delta)
        .select()
        .where(delta -> !delta.isEmpty())
        .onTermination()
        .invoke(
            (failure, cancelled) -> {
              if (failure != null || cancelled) {
                response.request().reset();
              }
            });
  }

  private String delta(String data) {
    try {
      JsonNode event = mapper.readTree(data);
      if (event.has("error")) {
        throw new ProviderHttpException(502, event.get("error").toString());
      }
      return event.path("choices").path(0).path("delta").path("content").asText("");
    } catch (IOException e) {
      throw new ProviderHttpException(502, "malformed stream event: " + data);
    }
  }

  private Buffer body(Prompt prompt) {
    Map<String, Object> request =
        Map.of(
            "model", config.model(),
            "stream", true,
            "temperature", config.temperature(),
            "messages", prompt.messages());
    try {
      return Buffer.buffer(mapper.writeValueAsBytes(request));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode the prompt", e);
    }
  }

  private static boolean retryable(Throwable failure) {
    return !(failure instanceof ProviderHttpException http) || http.retryable();
  }

  private static String describe(Throwable failure) {
    String kind =
        switch (failure.getClass().getSimpleName()) {
          case "CircuitBreakerOpenException" ->
              "the provider's circuit is open after repeated failures";
          case "TimeoutException" -> "the provider timed out";
          default -> "the provider failed";
        };
    return kind + " (" + failure.getMessage() + "); your message was kept";
  }
}
