package dev.engram.orchestrator.service.context;

import java.util.List;

/**
 * Everything that could go into one turn's context, before the budget decides.
 *
 * @param userMessage the message being answered
 * @param immediate the session's last messages, oldest first (without the message being answered)
 * @param others profile, working-memory, long-term, fact, procedure and session items
 * @param range the time range the question refers to (the prompt notes it), or null
 */
public record ContextCandidates(
    String userMessage, List<ContextItem> immediate, List<ContextItem> others, TimeRange range) {

  public ContextCandidates {
    immediate = List.copyOf(immediate);
    others = List.copyOf(others);
  }

  /** Candidates of a question without a time range. */
  public ContextCandidates(
      String userMessage, List<ContextItem> immediate, List<ContextItem> others) {
    this(userMessage, immediate, others, null);
  }
}
