package dev.engram.orchestrator.service.llm;

import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.ContextItem;
import dev.engram.orchestrator.service.context.ContextSource;
import dev.engram.orchestrator.service.context.TimeRange;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an assembled context as chat messages: one system message with everything that is not
 * conversation (profile, session, facts, procedures, long-term and working memory, hook
 * instructions), then the immediate messages with their roles, then the user's message.
 */
public final class PromptRenderer {

  private static final String PREAMBLE =
      "You are Engram, an assistant with a persistent memory of this user. Use what you remember "
          + "when it helps, say so when you are unsure, and never invent memories.";

  private PromptRenderer() {}

  /** The prompt for {@code context}. */
  public static Prompt render(AssembledContext context, TimeRange range) {
    StringBuilder system = new StringBuilder(PREAMBLE);
    section(system, "About the user", context.of(ContextSource.PROFILE));
    section(system, "This session", context.of(ContextSource.SESSION));
    section(system, "Known facts and preferences", context.of(ContextSource.FACTS));
    section(system, "Relevant procedures", context.of(ContextSource.PROCEDURES));
    section(system, "Relevant memories", context.of(ContextSource.LONG_TERM));
    section(system, "Currently in mind", context.of(ContextSource.WORKING));
    if (range != null) {
      system
          .append("\n\nThe user asks about ")
          .append(range.phrase())
          .append(" (")
          .append(range.from())
          .append(" to ")
          .append(range.to())
          .append("); the memories above are from that time.");
    }
    for (String instruction : context.instructions()) {
      system.append("\n\n").append(instruction);
    }
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(new ChatMessage("system", system.toString()));
    for (ContextItem item : context.of(ContextSource.IMMEDIATE)) {
      messages.add(new ChatMessage(item.role() == null ? "user" : item.role(), item.text()));
    }
    messages.add(new ChatMessage("user", context.userMessage()));
    return new Prompt(messages, context, range);
  }

  private static void section(StringBuilder out, String title, List<ContextItem> items) {
    if (items.isEmpty()) {
      return;
    }
    out.append("\n\n").append(title).append(':');
    items.forEach(item -> out.append("\n- ").append(item.text()));
  }
}
