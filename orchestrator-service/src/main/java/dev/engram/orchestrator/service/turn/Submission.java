package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.service.realtime.Frames;
import io.smallrye.mutiny.Uni;

/** How a turn request was taken ({@link TurnService#submit}). */
public sealed interface Submission {

  /** A new turn, running: its outcome (it runs whether or not anyone subscribes to it). */
  record Started(Uni<TurnResult> outcome) implements Submission {}

  /** A repeat of a client id whose turn is still running: that turn's outcome. */
  record Running(Uni<TurnResult> outcome) implements Submission {}

  /** A repeat of a client id whose turn has completed: its result, and its frames for a sender. */
  record Completed(TurnLedger.Outcome outcome, String clientMessageId) implements Submission {

    public TurnResult result() {
      return outcome.result();
    }

    /** The {@code message} frame of the turn's stored user message. */
    public Frames.Message messageFrame() {
      MessageView question = outcome.question();
      return new Frames.Message(
          outcome.result().turnId(),
          clientMessageId,
          question.sessionId(),
          question.id(),
          "user",
          question.content(),
          question.createdAt());
    }

    /** The turn's {@code done} frame. */
    public Frames.Done doneFrame() {
      return Frames.Done.of(outcome.result(), clientMessageId);
    }
  }
}
