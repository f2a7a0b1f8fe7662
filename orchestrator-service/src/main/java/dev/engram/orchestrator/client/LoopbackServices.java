package dev.engram.orchestrator.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for session-service and memory-service on a loopback port, for the turn warm-up only:
 * it answers the calls a turn makes with canned replies of the services' shapes, so that the
 * instance's own HTTP client ({@link ServiceHttp}: the same client, connection pool and codecs as a
 * turn's) and the clients' reply parsing run, and get compiled, before a user's first turn instead
 * of during it. It listens on 127.0.0.1 on an ephemeral port, on one thread of its own, and is
 * closed when the warm-up ends; nothing leaves the instance. It is the JDK's small HTTP server, not
 * a Vert.x one: the instance's own server (its event loops, its metrics) is not involved.
 */
public final class LoopbackServices implements AutoCloseable {

  /** What the stand-in answers; each is written as JSON once, at start. */
  public record Replies(
      Object recall, Object facts, Object session, Object message, Object context) {}

  private final HttpServer server;
  private final ExecutorService thread;
  private final String url;
  private final MemoryClient memory;
  private final SessionClient sessions;
  private final AtomicInteger served = new AtomicInteger();

  private LoopbackServices(ServiceHttp http, ObjectMapper mapper, Replies replies)
      throws IOException {
    Routes routes = new Routes(mapper, replies);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("engram-warm-up-loopback").unstarted(r));
    server.setExecutor(thread);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            served.incrementAndGet();
            routes.answer(exchange);
          }
        });
    server.start();
    this.url = "http://127.0.0.1:" + server.getAddress().getPort();
    this.memory = new MemoryClient(http, mapper, url + "/memory");
    this.sessions = new SessionClient(http, mapper, url + "/session");
  }

  /** Starts the stand-in; fails if it cannot listen. */
  public static LoopbackServices start(ServiceHttp http, ObjectMapper mapper, Replies replies) {
    try {
      return new LoopbackServices(http, mapper, replies);
    } catch (IOException e) {
      throw new UncheckedIOException("loopback services cannot listen", e);
    }
  }

  /** Where the stand-in listens. */
  public String url() {
    return url;
  }

  /** A memory-service client whose calls go to the stand-in. */
  public MemoryClient memory() {
    return memory;
  }

  /** A session-service client whose calls go to the stand-in. */
  public SessionClient sessions() {
    return sessions;
  }

  /** Requests received so far. */
  public int served() {
    return served.get();
  }

  /** Stops listening at once (connections the client keeps open are closed with it). */
  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }

  /**
   * The canned replies by route: the paths and methods {@link MemoryClient} and {@link
   * SessionClient} call.
   */
  private static final class Routes {
    private static final byte[] NOT_FOUND =
        "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}"
            .getBytes(StandardCharsets.UTF_8);

    private final byte[] recall;
    private final byte[] facts;
    private final byte[] session;
    private final byte[] message;
    private final byte[] context;

    Routes(ObjectMapper mapper, Replies replies) {
      this.recall = json(mapper, replies.recall());
      this.facts = json(mapper, replies.facts());
      this.session = json(mapper, replies.session());
      this.message = json(mapper, replies.message());
      this.context = json(mapper, replies.context());
    }

    void answer(HttpExchange exchange) throws IOException {
      try (InputStream body = exchange.getRequestBody()) {
        body.transferTo(OutputStream.nullOutputStream());
      }
      String path = exchange.getRequestURI().getPath();
      boolean post = "POST".equals(exchange.getRequestMethod());
      byte[] reply;
      if (path.equals("/memory/api/v1/recall") && post) {
        reply = recall;
      } else if (path.equals("/memory/api/v1/facts")) {
        reply = facts;
      } else if (path.startsWith("/session/api/v1/sessions")) {
        if (path.endsWith("/messages") && post) {
          reply = message;
        } else if (path.endsWith("/context")) {
          reply = context;
        } else {
          reply = session;
        }
      } else {
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(404, NOT_FOUND.length);
        exchange.getResponseBody().write(NOT_FOUND);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, reply.length);
      exchange.getResponseBody().write(reply);
    }

    private static byte[] json(ObjectMapper mapper, Object value) {
      try {
        return mapper.writeValueAsBytes(value);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("a loopback reply cannot be written as JSON", e);
      }
    }
  }
}
