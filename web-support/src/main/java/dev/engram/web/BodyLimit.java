package dev.engram.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} gets an RFC 9457 problem
 * (413 {@code payload-too-large}, naming the limit) instead of the HTTP layer's bare 413: the
 * {@code Content-Length} is checked before the body is read, so a client that sent {@code Expect:
 * 100-continue} sends none of it, and the connection is closed after the answer.
 */
@ApplicationScoped
public class BodyLimit {

  private static final String PROBLEM_JSON = "application/problem+json";
  private static final String TYPE = "https://engram.dev/problems/payload-too-large";

  /**
   * Runs just before the HTTP layer's own check ({@code RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT}).
   */
  private static final int ORDER = -3;

  void install(
      @Observes Router router,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
          MemorySize limit) {
    long max = limit.asLongValue();
    router
        .route()
        .order(ORDER)
        .handler(
            rc -> {
              String declared = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
              if (declared != null && exceeds(declared, max)) {
                rc.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(
                        new JsonObject()
                            .put("type", TYPE)
                            .put("title", "Payload too large")
                            .put("status", 413)
                            .put("detail", "the body may be at most " + max + " bytes")
                            .put("instance", rc.request().path())
                            .put("limit", max)
                            .encode())
                    .onComplete(done -> rc.request().connection().close());
                return;
              }
              rc.next();
            });
  }

  private static boolean exceeds(String declared, long max) {
    try {
      return Long.parseLong(declared.trim()) > max;
    } catch (NumberFormatException e) {
      return false; // the HTTP layer answers a malformed length itself
    }
  }
}
