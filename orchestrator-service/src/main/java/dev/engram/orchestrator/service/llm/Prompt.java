package dev.engram.orchestrator.service.llm;

import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.TimeRange;
import java.util.List;

/**
 * What a provider is asked to answer: the chat messages rendered from the context, and the context
 * itself (the offline responder answers from it directly).
 */
public record Prompt(List<ChatMessage> messages, AssembledContext context, TimeRange timeRange) {

  public Prompt {
    messages = List.copyOf(messages);
  }
}
