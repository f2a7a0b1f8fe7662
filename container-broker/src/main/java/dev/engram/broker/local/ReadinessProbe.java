package dev.engram.broker.local;

import dev.engram.broker.config.BrokerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the kubelet does for a pod, for a local process: asks {@code /q/health/ready} every 100 ms
 * until it answers 200 (ready), the instance gives up waiting, or the startup timeout passes.
 */
@ApplicationScoped
public class ReadinessProbe {

  private static final long PERIOD_MILLIS = 100;

  private final Vertx vertx;
  private final HttpClient http;
  private final Duration startupTimeout;

  ReadinessProbe(Vertx vertx, BrokerConfig config) {
    this.vertx = vertx;
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout(1000).setIdleTimeout(5).setMaxPoolSize(4));
    this.startupTimeout = config.pool().startupTimeout();
  }

  /**
   * Probes {@code endpoint} while {@code stillWaiting} holds, then calls {@code result} once: true
   * when ready, false on timeout.
   */
  public void awaitReady(String endpoint, BooleanSupplier stillWaiting, Consumer<Boolean> result) {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    probe(endpoint + "/q/health/ready", deadline, stillWaiting, result);
  }

  private void probe(
      String url, long deadline, BooleanSupplier stillWaiting, Consumer<Boolean> result) {
    if (!stillWaiting.getAsBoolean()) {
      return;
    }
    if (System.nanoTime() > deadline) {
      result.accept(false);
      return;
    }
    http.request(
            new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(1000))
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(
            status -> {
              if (status.succeeded() && status.result() == 200) {
                result.accept(true);
              } else {
                vertx.setTimer(PERIOD_MILLIS, t -> probe(url, deadline, stillWaiting, result));
              }
            });
  }
}
