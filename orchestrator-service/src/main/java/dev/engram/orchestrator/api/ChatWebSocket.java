package dev.engram.orchestrator.api;

import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.realtime.ChatHub;
import dev.engram.orchestrator.service.realtime.Frames;
import dev.engram.orchestrator.service.turn.Caller;
import dev.engram.orchestrator.service.turn.Preloader;
import dev.engram.orchestrator.service.turn.Submission;
import dev.engram.orchestrator.service.turn.TurnRequest;
import dev.engram.orchestrator.service.turn.TurnRequests;
import dev.engram.orchestrator.service.turn.TurnService;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import java.time.ZoneId;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code /ws/chat}: the chat protocol (see the module README). Turns run in the background, so the
 * socket keeps accepting frames while an answer streams; every frame about the user's state goes to
 * every open tab through the {@link ChatHub}. A bad frame gets an {@code error} frame on its own
 * connection, which stays open.
 */
@WebSocket(path = "/ws/chat")
@Authenticated
public class ChatWebSocket {

  @Inject ChatHub hub;
  @Inject TurnService turns;
  @Inject InboundFrames frames;
  @Inject Callers callers;
  @Inject SecurityIdentity identity;
  @Inject UserState user;
  @Inject Preloader preloader;
  @Inject OrchestratorConfig config;

  @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size")
  int maxMessageBytes;

  @OnOpen
  @NonBlocking
  public void open(WebSocketConnection connection) {
    Caller caller = callers.of(identity);
    String resumeFrom = query(connection, "lastEventId");
    boolean attached =
        hub.attach(
            connection,
            caller.binding(),
            last ->
                new Frames.Hello(
                    config.instanceName(),
                    caller.userId(),
                    user.sessionId(),
                    last,
                    user.stm().items()),
            resumeFrom);
    if (attached) {
      preloader.warm(caller);
    }
  }

  @OnTextMessage
  @NonBlocking
  public void message(String raw, WebSocketConnection connection) {
    InboundFrame frame;
    Caller caller;
    try {
      caller = callers.of(identity);
      frame = frames.parse(raw);
    } catch (ProblemException e) {
      hub.reply(connection, Frames.ERROR, new Frames.Error(e.problem().at("/ws/chat"), null, null));
      return;
    }
    switch (frame) {
      case InboundFrame.UserMessage m -> start(m, caller, connection);
      case InboundFrame.Resume r -> {
        if (!hub.replay(connection, r.lastEventId())) {
          hub.reply(
              connection,
              Frames.RESYNC,
              new Frames.Resync("cannot resume from " + r.lastEventId(), hub.lastEventId()));
        }
      }
      case InboundFrame.Ping p -> hub.reply(connection, Frames.PONG, java.util.Map.of());
    }
  }

  /**
   * A message over the transport's limit ({@code quarkus.websockets-next.server.max-message-size},
   * 1 MiB) that came in several frames: Vert.x drops it, with the rest of its frames, and reports
   * it here; its sender gets a {@code payload-too-large} error frame and the socket stays usable.
   * Any other failure keeps Quarkus' handling (logged, the connection closed). A single frame over
   * the limit ({@code max-frame-size}) never gets this far: the WebSocket decoder closes the
   * connection with 1009 (Message Too Big).
   */
  @OnError
  @NonBlocking
  public void tooLarge(IllegalStateException failure, WebSocketConnection connection) {
    if (failure.getMessage() == null || !failure.getMessage().contains("max message size")) {
      throw failure;
    }
    hub.reply(
        connection,
        Frames.ERROR,
        new Frames.Error(
            ProblemException.tooLarge(
                    "The message is over "
                        + maxMessageBytes
                        + " bytes, the most a WebSocket message may have; at most "
                        + config.chat().maxFrameChars()
                        + " characters are accepted")
                .problem()
                .at("/ws/chat"),
            null,
            null));
  }

  /**
   * A frame the WebSocket decoder refused, such as one over {@code max-frame-size} (1 MiB): the
   * decoder has closed the connection already (1009 Message Too Big); nothing is left to do but
   * note it (it is the client's doing, not the instance's failure).
   */
  @OnError
  @NonBlocking
  public void refused(CorruptedWebSocketFrameException failure, WebSocketConnection connection) {
    Log.debugf("closed %s: %s", connection.id(), failure.getMessage());
  }

  @OnClose
  public void close(WebSocketConnection connection) {
    hub.unregister(connection);
  }

  private void start(InboundFrame.UserMessage m, Caller caller, WebSocketConnection connection) {
    Submission submitted;
    try {
      TurnRequest request =
          TurnRequests.validate(
              new TurnRequest(m.sessionId(), m.content(), m.clientMessageId()),
              config.context().maxMessageChars());
      ZoneId zone = TurnRequests.zone(m.timeZone());
      submitted = turns.submit(request, caller.withZone(zone));
    } catch (ProblemException e) {
      hub.reply(
          connection,
          Frames.ERROR,
          new Frames.Error(e.problem().at("/ws/chat"), m.clientMessageId(), null));
      return;
    }
    switch (submitted) {
      // A turn reports its own outcome to every tab (done or error frames), the sender's included:
      // nothing more to do for a new turn, or for a repeat of one still running.
      case Submission.Started started -> {}
      case Submission.Running running -> {}
      // A repeat of a completed turn: the sender (who may have missed them) gets its frames again.
      case Submission.Completed completed -> {
        hub.reply(connection, Frames.MESSAGE, completed.messageFrame());
        hub.reply(connection, Frames.DONE, completed.doneFrame());
      }
    }
  }

  private static String query(WebSocketConnection connection, String name) {
    String query = connection.handshakeRequest().query();
    if (query == null || query.isBlank()) {
      return null;
    }
    List<String> values = new QueryStringDecoder(query, false).parameters().get(name);
    return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
  }
}
