package dev.engram.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body larger than {@code quarkus.http.limits.max-body-size} gets an RFC 9457 problem (413 {@code
 * payload-too-large}, naming the limit) instead of the HTTP layer's bare 413, and the connection is
 * closed after the answer.
 *
 * <ul>
 *   <li>A declared {@code Content-Length} is checked before the body is read, so a client that sent
 *       {@code Expect: 100-continue} sends none of it.
 *   <li>A chunked body (no length) is read here, counted as it arrives, and answered the moment it
 *       passes the limit (RESTEasy Reactive's own reader would end the response with a bare 413
 *       itself); one within the limit is handed to the REST layer whole ({@link BufferedBody}). An
 *       {@code Expect: 100-continue} is answered here, once.
 * </ul>
 *
 * <p>Routes ordered before this one (the broker's gateway, which streams bodies to the services)
 * never reach it.
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
              if (declared != null) {
                if (exceeds(declared, max)) {
                  tooLarge(rc, max);
                } else {
                  rc.next();
                }
              } else if (chunked(rc.request())) {
                readCounting(rc, max);
              } else {
                rc.next();
              }
            });
  }

  /** Reads a chunked body up to {@code max} bytes: handed on whole, or refused once past it. */
  private static void readCounting(RoutingContext rc, long max) {
    HttpServerRequest request = rc.request();
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      rc.response().writeContinue();
      // answered: the resource layer must not send a second 100 Continue later
      request.headers().remove(HttpHeaders.EXPECT);
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    request.handler(
        chunk -> {
          if (refused[0]) {
            return; // drained until the connection closes
          }
          if (body.length() + (long) chunk.length() > max) {
            refused[0] = true;
            tooLarge(rc, max);
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        ended -> {
          if (!refused[0]) {
            rc.put(BufferedBody.KEY, body);
            rc.next();
          }
        });
    request.exceptionHandler(rc::fail);
    request.resume();
  }

  private static boolean chunked(HttpServerRequest request) {
    String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
    return encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked");
  }

  private static void tooLarge(RoutingContext rc, long max) {
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
  }

  private static boolean exceeds(String declared, long max) {
    try {
      return Long.parseLong(declared.trim()) > max;
    } catch (NumberFormatException e) {
      return false; // the HTTP layer answers a malformed length itself
    }
  }
}
