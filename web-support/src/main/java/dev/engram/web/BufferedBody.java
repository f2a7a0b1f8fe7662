package dev.engram.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Hands a body {@link BodyLimit} read ahead (a chunked one, counted against the limit) to the REST
 * layer as the request's entity. The request has ended by then, and RESTEasy Reactive reads an
 * ended request as an empty body unless an entity stream is already set, which this pre-matching
 * filter does before any resource is chosen.
 */
public class BufferedBody {

  /** The routing context's key of a body read ahead ({@link Buffer}). */
  static final String KEY = "engram.web.buffered-body";

  @ServerRequestFilter(preMatching = true)
  public void handOver(ContainerRequestContext request, RoutingContext routing) {
    Buffer body = routing.get(KEY);
    if (body != null) {
      request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
    }
  }
}
