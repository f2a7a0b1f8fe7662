package dev.engram.broker.claim;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.broker.config.BrokerConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

/**
 * The orchestrator's internal API ({@code /internal/v1/bind}, {@code release}, {@code erase},
 * {@code status}), called with the broker's own token. Non-blocking (Vert.x HTTP client, pooled
 * keep-alive connections).
 */
@ApplicationScoped
public class OrchestratorClient {

  /**
   * The user of the priming bind, a name kept for it. Should a real user ever be called so, the
   * priming bind restores their snapshot and the release saves it back unchanged.
   */
  static final String PRIME_USER = ReservedUsers.PREFIX + "prime";

  /**
   * How long a connection to an instance may stay unused: longer than a warm instance waits in the
   * pool between heartbeats ({@code pool.heartbeat-interval}, which reads its status over this
   * client), so that a claim finds its connection open instead of paying for a new one.
   */
  static final int IDLE_TIMEOUT_SECONDS = 300;

  private final HttpClient http;
  private final BrokerTokens tokens;
  private final ObjectMapper json;
  private final long timeoutMillis;

  OrchestratorClient(Vertx vertx, BrokerTokens tokens, ObjectMapper json, BrokerConfig config) {
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout(2000)
                .setKeepAlive(true)
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS),
            new PoolOptions().setHttp1MaxSize(8));
    this.tokens = tokens;
    this.json = json;
    this.timeoutMillis = config.claim().callTimeout().toMillis();
  }

  /** Binds the instance to the user (idempotent for the same user). */
  public Uni<BindResult> bind(String endpoint, String userId, String claimId) {
    JsonObject body = new JsonObject().put("userId", userId).put("claimId", claimId);
    return call(HttpMethod.POST, endpoint + "/internal/v1/bind", body, BindResult.class);
  }

  /** Snapshots the user's short-term memory and unbinds the instance. */
  public Uni<Void> release(String endpoint) {
    return call(HttpMethod.POST, endpoint + "/internal/v1/release", new JsonObject(), Void.class);
  }

  /**
   * Erases the user at the instance: their snapshot is deleted and, if the instance is bound to
   * them, it forgets them without saving one and becomes unbound.
   */
  public Uni<Void> erase(String endpoint, String userId) {
    JsonObject body = new JsonObject().put("userId", userId);
    return call(HttpMethod.POST, endpoint + "/internal/v1/erase", body, Void.class);
  }

  /**
   * Runs the code of the internal API in a new instance, leaving it as it was: a status read and a
   * bind the instance refuses (no user, 400), {@code rounds} times, then as many binds and releases
   * of {@link #PRIME_USER}. The first request of a JVM loads and initialises the request pipeline,
   * token verification and JSON binding (seconds on a busy machine), so a claim of a primed
   * instance does not pay for it.
   */
  public Uni<Void> prime(String endpoint, int rounds) {
    Uni<Void> round =
        status(endpoint)
            .chain(
                () ->
                    call(
                            HttpMethod.POST,
                            endpoint + "/internal/v1/bind",
                            new JsonObject(),
                            Void.class)
                        .onFailure(e -> e instanceof InstanceCallException c && c.status() == 400)
                        .recoverWithNull());
    Uni<Void> all = Uni.createFrom().voidItem();
    for (int i = 0; i < rounds; i++) {
      all = all.chain(() -> round);
    }
    // Then real binds and releases of a user with no state, as many: the bind path's first runs
    // (snapshot lookup, JSON, the user's event reader, Redis' first connection, then the same code
    // still interpreted) are paid here, not by the first claims. An empty state stores nothing, so
    // it leaves nothing behind.
    Uni<Void> cycle =
        Uni.createFrom()
            .deferred(() -> bind(endpoint, PRIME_USER, "prime-" + UUID.randomUUID()))
            .chain(() -> release(endpoint));
    for (int i = 0; i < rounds; i++) {
      all = all.chain(() -> cycle);
    }
    return all;
  }

  /** The instance's state and last activity. */
  public Uni<InstanceStatus> status(String endpoint) {
    return call(HttpMethod.GET, endpoint + "/internal/v1/status", null, InstanceStatus.class);
  }

  private <T> Uni<T> call(HttpMethod method, String url, JsonObject body, Class<T> type) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(url)
            .setTimeout(timeoutMillis)
            .setConnectTimeout(timeoutMillis)
            .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.internal())
            .putHeader(HttpHeaders.ACCEPT, "application/json");
    Future<Answer> answer =
        http.request(options)
            .compose(
                request -> {
                  if (body == null) {
                    return request.send();
                  }
                  request.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                  return request.send(body.toBuffer());
                })
            .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b)));
    return Uni.createFrom()
        .completionStage(answer.toCompletionStage())
        .ifNoItem()
        .after(Duration.ofMillis(timeoutMillis))
        .failWith(() -> new IllegalStateException("no answer in " + timeoutMillis + " ms"))
        .onFailure()
        .transform(e -> new InstanceCallException(url + " did not answer: " + e.getMessage(), 0, e))
        .map(a -> decode(url, a, type));
  }

  private <T> T decode(String url, Answer answer, Class<T> type) {
    if (answer.status() / 100 != 2) {
      throw new InstanceCallException(
          url + " answered " + answer.status() + ": " + answer.body(), answer.status(), null);
    }
    if (type == Void.class || answer.body().length() == 0) {
      return null;
    }
    try {
      return json.readValue(answer.body().getBytes(), type);
    } catch (IOException e) {
      throw new InstanceCallException(url + " answered malformed JSON", answer.status(), e);
    }
  }

  private record Answer(int status, Buffer body) {}
}
