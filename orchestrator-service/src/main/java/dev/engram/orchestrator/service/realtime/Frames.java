package dev.engram.orchestrator.service.realtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.orchestrator.api.Problem;
import dev.engram.orchestrator.service.stm.WorkingItem;
import dev.engram.orchestrator.service.turn.ContextSummary;
import dev.engram.orchestrator.service.turn.TurnResult;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The payloads of the server's WebSocket frames (the {@code id} and {@code type} are added). */
public final class Frames {

  public static final String HELLO = "hello";
  public static final String MESSAGE = "message";
  public static final String TOKEN = "token";
  public static final String DONE = "done";
  public static final String STM_UPDATE = "stm_update";
  public static final String MEMORY_UPDATE = "memory_update";
  public static final String ERROR = "error";
  public static final String RESYNC = "resync";
  public static final String PONG = "pong";

  private Frames() {}

  /** First frame on a new connection. */
  public record Hello(
      String instance, String userId, UUID sessionId, String lastEventId, List<WorkingItem> stm) {}

  /** A user message was stored (every tab shows it). */
  public record Message(
      UUID turnId,
      String clientMessageId,
      UUID sessionId,
      UUID messageId,
      String role,
      String content,
      Instant createdAt) {}

  /** A piece of the answer. */
  public record Token(
      UUID turnId, String clientMessageId, UUID sessionId, int index, String delta) {}

  /** The answer is complete and stored. {@code content} is final (hooks may have amended it). */
  public record Done(
      UUID turnId,
      String clientMessageId,
      UUID sessionId,
      UUID userMessageId,
      UUID messageId,
      String content,
      String provider,
      boolean offline,
      ContextSummary contextSummary) {

    /** The frame of a completed turn. */
    public static Done of(TurnResult result, String clientMessageId) {
      return new Done(
          result.turnId(),
          clientMessageId,
          result.sessionId(),
          result.userMessageId(),
          result.messageId(),
          result.content(),
          result.provider(),
          result.offline(),
          result.contextSummary());
    }
  }

  /** The working set changed. */
  public record StmUpdate(
      long turn,
      List<String> added,
      List<String> rehearsed,
      List<String> evicted,
      List<UUID> reinforced,
      List<WorkingItem> items) {

    /** The frame of one turn of the working set. */
    public static StmUpdate of(dev.engram.orchestrator.service.stm.StmUpdate update) {
      return new StmUpdate(
          update.turn(),
          update.added(),
          update.rehearsed(),
          update.evicted(),
          update.reinforce(),
          update.items());
    }
  }

  /** Something went wrong with a frame or a turn. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Error(Problem problem, String clientMessageId, UUID turnId) {}

  /** The client's last event id cannot be resumed from: reload state. */
  public record Resync(String reason, String lastEventId) {}
}
