package dev.engram.orchestrator.service.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.binding.Binding;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bound user's open WebSocket connections (every tab) and the frames they share. Every state
 * frame gets an event id {@code <epoch>:<sequence>} and goes to every connection, so all tabs see
 * the same; the last {@code chat.replay-frames} frames are kept so a client that reconnects with
 * its last event id gets what it missed. Ids of an earlier binding (another epoch) or older than
 * the kept window get a {@code resync} frame instead.
 */
@ApplicationScoped
public class ChatHub {

  private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

  private final Set<WebSocketConnection> connections = ConcurrentHashMap.newKeySet();
  private final Deque<Logged> log = new ArrayDeque<>();
  private final ObjectMapper mapper;
  private final int capacity;
  private String epoch = "none";
  private long sequence;

  @Inject
  public ChatHub(ObjectMapper mapper, OrchestratorConfig config) {
    this(mapper, config.chat().replayFrames());
  }

  ChatHub(ObjectMapper mapper, int capacity) {
    this.mapper = mapper;
    this.capacity = capacity;
  }

  /**
   * Attaches a new connection of {@code binding}: sends it {@code hello} (built with the current
   * last event id), then, if it resumes from {@code lastEventId}, what it missed (or {@code
   * resync}), and only then adds it to the broadcast set, so it sees every frame exactly once and
   * in order. A connection of a binding that is not the current one (the user was released, or
   * released and another bound, after the upgrade was let through) is closed instead and gets
   * nothing; this check, {@link #reset} and {@link #closeAll} hold the same lock, so a connection
   * is either refused here or closed by the release.
   *
   * @return whether the connection was attached
   */
  public synchronized boolean attach(
      WebSocketConnection connection,
      Binding binding,
      java.util.function.Function<String, Object> hello,
      String lastEventId) {
    if (binding == null || !binding.epoch().equals(epoch)) {
      close(connection, "released");
      return false;
    }
    reply(connection, "hello", hello.apply(lastEventId()));
    if (lastEventId != null && !replay(connection, lastEventId)) {
      reply(
          connection,
          "resync",
          java.util.Map.of(
              "reason", "cannot resume from " + lastEventId, "lastEventId", lastEventId()));
    }
    connections.add(connection);
    return true;
  }

  public void unregister(WebSocketConnection connection) {
    connections.remove(connection);
  }

  /** Open connections right now. */
  public int connectionCount() {
    return connections.size();
  }

  /**
   * Gives a frame of {@code binding} the next event id, keeps it for replay and sends it to every
   * connection. A frame of a binding that has ended (a turn still running at release, an event read
   * just before it) is dropped, so nothing of one user ever reaches the next user's tabs; returns
   * null then.
   */
  public synchronized String publish(Binding binding, String type, Object payload) {
    if (binding == null || !binding.epoch().equals(epoch)) {
      return null;
    }
    sequence++;
    String id = epoch + ":" + sequence;
    String json = encode(id, type, payload);
    log.addLast(new Logged(sequence, json));
    while (log.size() > capacity) {
      log.removeFirst();
    }
    for (WebSocketConnection connection : connections) {
      send(connection, json);
    }
    return id;
  }

  /** Sends a frame to one connection only, without an event id (replies to that client). */
  public void reply(WebSocketConnection connection, String type, Object payload) {
    send(connection, encode(null, type, payload));
  }

  /**
   * Sends {@code connection} every kept frame after {@code lastEventId}; returns false (and sends
   * nothing) when that id is not from this binding or older than what is kept.
   */
  public synchronized boolean replay(WebSocketConnection connection, String lastEventId) {
    int colon = lastEventId.lastIndexOf(':');
    if (colon < 0 || !lastEventId.substring(0, colon).equals(epoch)) {
      return false;
    }
    long after;
    try {
      after = Long.parseLong(lastEventId.substring(colon + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    long oldest = log.isEmpty() ? sequence + 1 : log.peekFirst().sequence();
    if (after > sequence || after < oldest - 1) {
      return false;
    }
    log.stream().filter(f -> f.sequence() > after).forEach(f -> send(connection, f.json()));
    return true;
  }

  /** The id of the newest frame, which a new client resumes from. */
  public synchronized String lastEventId() {
    return epoch + ":" + sequence;
  }

  /** Starts a new epoch (on bind and release): forgets the kept frames. */
  public synchronized void reset(String newEpoch) {
    epoch = newEpoch;
    sequence = 0;
    log.clear();
  }

  /**
   * Closes every connection (on release) with {@code reason}. Called after {@link #reset} has ended
   * the binding's epoch, so no connection of that binding can be attached after it.
   */
  public synchronized void closeAll(String reason) {
    for (WebSocketConnection connection : List.copyOf(connections)) {
      close(connection, reason);
    }
    connections.clear();
  }

  private static void close(WebSocketConnection connection, String reason) {
    connection
        .close(new CloseReason(4000, reason))
        .subscribe()
        .with(ok -> {}, e -> Log.debugf("closing a connection failed: %s", e.getMessage()));
  }

  private void send(WebSocketConnection connection, String json) {
    if (connection.isOpen()) {
      connection
          .sendText(json)
          .subscribe()
          .with(ok -> {}, e -> Log.debugf("frame not delivered: %s", e.getMessage()));
    }
  }

  /**
   * The frame as JSON: {@code id} and {@code type}, then the payload's fields. The payload is
   * written once, straight to text (no tree in between): frames are the instance's most frequent
   * output.
   */
  private String encode(String id, String type, Object payload) {
    String body;
    try {
      body = payload == null ? "{}" : mapper.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot encode a " + type + " frame", e);
    }
    if (!body.startsWith("{")) {
      throw new IllegalArgumentException("The payload of a " + type + " frame is not an object");
    }
    StringBuilder frame = new StringBuilder(body.length() + 48).append('{');
    if (id != null) {
      frame.append("\"id\":\"").append(QUOTE.quoteAsString(id)).append("\",");
    }
    frame.append("\"type\":\"").append(QUOTE.quoteAsString(type)).append('"');
    if (body.length() > 2) {
      frame.append(',').append(body, 1, body.length() - 1);
    }
    return frame.append('}').toString();
  }

  private record Logged(long sequence, String json) {}
}
