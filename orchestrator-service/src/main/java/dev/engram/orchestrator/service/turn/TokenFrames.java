package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.service.realtime.Frames;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Sends the deltas of one answer as {@code token} frames (to every tab, through the sink). The
 * first delta goes out at once; the deltas a provider hands over together (the offline responder's
 * whole answer, several server-sent events in one network read) go out as one frame, sent when the
 * event loop is done with the burst or when the stream ends, whichever is first. So a burst costs
 * one frame per tab instead of one per delta, and no delta waits for a later one. Deltas arrive one
 * at a time and in order (a stream's guarantee); the methods are synchronized because the scheduled
 * flush and the end of the stream may run on other threads than the deltas.
 */
final class TokenFrames {

  private final Consumer<Frames.Token> sink;
  private final UUID turnId;
  private final String clientMessageId;
  private final UUID sessionId;
  private final StringBuilder pending = new StringBuilder();
  private int frames;
  private int deltas;
  private boolean scheduled;

  TokenFrames(Consumer<Frames.Token> sink, UUID turnId, String clientMessageId, UUID sessionId) {
    this.sink = sink;
    this.turnId = turnId;
    this.clientMessageId = clientMessageId;
    this.sessionId = sessionId;
  }

  /** Takes one delta: sent now if it is the first (or off the event loop), else with its burst. */
  synchronized void add(String delta) {
    deltas++;
    pending.append(delta);
    if (frames == 0) {
      flush();
      return;
    }
    Context context = Vertx.currentContext();
    if (context == null) {
      flush();
    } else if (!scheduled) {
      scheduled = true;
      context.runOnContext(ignored -> flush());
    }
  }

  /** Sends what is pending (at the end of the stream, before anything else of the turn). */
  synchronized void flush() {
    scheduled = false;
    if (pending.isEmpty()) {
      return;
    }
    sink.accept(new Frames.Token(turnId, clientMessageId, sessionId, frames++, pending.toString()));
    pending.setLength(0);
  }

  /** The deltas taken so far (the answer's tokens as the provider counted them). */
  synchronized int deltas() {
    return deltas;
  }
}
