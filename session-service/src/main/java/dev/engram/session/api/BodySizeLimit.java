package dev.engram.session.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.session.service.ProblemException;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is over {@code quarkus.http.limits.max-body-size} with a
 * 413 problem, before anything reads it. (The HTTP layer would refuse it too, but with an empty
 * body.) A chunked body that grows over the limit is still cut off by the HTTP layer.
 */
@ApplicationScoped
public class BodySizeLimit {

  private final ObjectMapper mapper;
  private final long limit;

  public BodySizeLimit(
      ObjectMapper mapper,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
    this.mapper = mapper;
    this.limit = limit.asLongValue();
  }

  void install(@Observes Router router) {
    router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1).handler(this::check);
  }

  private void check(RoutingContext context) {
    String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    long length;
    try {
      length = declared == null ? -1 : Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length <= limit) {
      context.next();
      return;
    }
    ProblemException tooLarge =
        ProblemException.tooLarge(
            "The request body is " + length + " bytes; the limit is " + limit + " bytes",
            Map.of("limit", limit, "size", length));
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", ProblemMapper.TYPE_BASE + tooLarge.slug());
    problem.put("title", tooLarge.title());
    problem.put("status", tooLarge.status());
    problem.put("detail", tooLarge.getMessage());
    problem.put("instance", context.request().path());
    problem.putAll(tooLarge.extensions());
    String body;
    try {
      body = mapper.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    context
        .response()
        .setStatusCode(tooLarge.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(body);
  }
}
