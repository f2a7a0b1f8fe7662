package dev.engram.broker.gateway;

import dev.engram.broker.config.BrokerConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Forwards one HTTP request to an upstream and streams the answer back, both bodies piped without
 * buffering, over pooled keep-alive connections. Hop-by-hop headers stay behind; the caller's token
 * goes along as a bearer header whatever way it came.
 */
@ApplicationScoped
public class HttpProxy {

  static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host");

  private static final Set<String> TRACE_HEADERS = Set.of("traceparent", "tracestate");

  private final HttpClient client;
  private final long timeoutMillis;

  HttpProxy(Vertx vertx, BrokerConfig config) {
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(2000)
                .setIdleTimeout(60)
                .setDecompressionSupported(false),
            new PoolOptions().setHttp1MaxSize(64));
    this.timeoutMillis = config.gateway().upstreamTimeout().toMillis();
  }

  /**
   * Forwards {@code request} to {@code base}; the future fails only when the upstream could not be
   * reached (nothing was sent to the caller then).
   */
  public Future<Void> forward(HttpServerRequest request, URI base, String token) {
    return forward(request, base, token, null);
  }

  /**
   * Like {@link #forward(HttpServerRequest, URI, String)}, but an answer whose status {@code
   * refused} accepts is not relayed: it is discarded and the future fails with {@link
   * RefusedException}, so the caller may send the request elsewhere (only for requests without a
   * body, which can be sent twice).
   */
  public Future<Void> forward(
      HttpServerRequest request, URI base, String token, IntPredicate refused) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setURI(request.uri())
            .setTimeout(timeoutMillis);
    // RequestOptions has no header map until one is set
    MultiMap headers = HttpHeaders.headers();
    copyRequestHeaders(request, headers);
    if (Span.current().getSpanContext().isValid()) {
      // the gateway traces this request: the upstream call continues the gateway's span
      TRACE_HEADERS.forEach(headers::remove);
      W3CTraceContextPropagator.getInstance()
          .inject(Context.current(), headers, (carrier, key, value) -> carrier.set(key, value));
    }
    headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    options.setHeaders(headers);
    return client
        .request(options)
        // a request already sent once (and refused) has no body left to stream
        .compose(upstream -> request.isEnded() ? upstream.send() : upstream.send(request))
        .compose(
            response -> {
              if (refused != null && refused.test(response.statusCode())) {
                return response
                    .body()
                    .transform(
                        ignored ->
                            Future.<Void>failedFuture(new RefusedException(response.statusCode())));
              }
              relay(response, request.response());
              return Future.succeededFuture();
            });
  }

  /** The upstream answered with a status the caller asked not to relay. */
  public static final class RefusedException extends RuntimeException {

    RefusedException(int status) {
      super("refused with " + status, null, false, false);
    }
  }

  private static void copyRequestHeaders(HttpServerRequest request, MultiMap headers) {
    request
        .headers()
        .forEach(
            h -> {
              String name = h.getKey().toLowerCase(Locale.ROOT);
              if (!HOP_BY_HOP.contains(name) && !"authorization".equals(name)) {
                headers.add(h.getKey(), h.getValue());
              }
            });
    String forwardedFor = request.getHeader("X-Forwarded-For");
    String remote = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    headers.set("X-Forwarded-For", forwardedFor == null ? remote : forwardedFor + ", " + remote);
    headers.set("X-Forwarded-Proto", request.scheme());
    if (request.authority() != null) {
      headers.set("X-Forwarded-Host", request.authority().toString());
    }
  }

  private static void relay(HttpClientResponse upstream, HttpServerResponse response) {
    response.setStatusCode(upstream.statusCode());
    response.setStatusMessage(upstream.statusMessage());
    upstream
        .headers()
        .forEach(
            h -> {
              if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                response.headers().add(h.getKey(), h.getValue());
              }
            });
    if (upstream.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
      response.setChunked(true);
    }
    upstream.pipeTo(response);
  }
}
