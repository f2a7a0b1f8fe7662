package dev.engram.orchestrator.api;

import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.binding.UserState;
import dev.engram.orchestrator.service.realtime.ChatHub;
import dev.engram.orchestrator.service.realtime.Frames;
import dev.engram.orchestrator.service.turn.Caller;
import dev.engram.orchestrator.service.turn.Preloader;
import dev.engram.orchestrator.service.turn.TurnRequest;
import dev.engram.orchestrator.service.turn.TurnRequests;
import dev.engram.orchestrator.service.turn.TurnService;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import java.time.ZoneId;
import java.util.List;

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

  @OnClose
  public void close(WebSocketConnection connection) {
    hub.unregister(connection);
  }

  private void start(InboundFrame.UserMessage m, Caller caller, WebSocketConnection connection) {
    TurnRequest request;
    ZoneId zone;
    try {
      request =
          TurnRequests.validate(
              new TurnRequest(m.sessionId(), m.content(), m.clientMessageId()),
              config.context().maxMessageChars());
      zone = TurnRequests.zone(m.timeZone());
    } catch (ProblemException e) {
      hub.reply(
          connection,
          Frames.ERROR,
          new Frames.Error(e.problem().at("/ws/chat"), m.clientMessageId(), null));
      return;
    }
    // The turn reports its own outcome (done or error frames); nothing more to do here.
    turns.run(request, caller.withZone(zone)).subscribe().with(result -> {}, failure -> {});
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
