package dev.engram.orchestrator.service.llm;

import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.ContextItem;
import dev.engram.orchestrator.service.context.ContextSource;
import dev.engram.orchestrator.service.context.PromptFraming;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an assembled context as chat messages: one system message with everything that is not
 * conversation (profile, session, facts, procedures, long-term and working memory, hook
 * instructions), then the immediate messages with their roles, then the user's message.
 */
public final class PromptRenderer {

  private PromptRenderer() {}

  /**
   * The prompt for {@code context}, framed as {@link PromptFraming} counts it (so that the
   * context's budget covers what is rendered here).
   */
  public static Prompt render(AssembledContext context) {
    StringBuilder system = new StringBuilder(PromptFraming.PREAMBLE);
    for (ContextSource source : ContextSource.PROMPT_ORDER) {
      if (source != ContextSource.IMMEDIATE) {
        section(system, source, context.of(source));
      }
    }
    String note = PromptFraming.rangeNote(context.range());
    if (note != null) {
      system.append("\n\n").append(note);
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
    return new Prompt(messages, context, context.range());
  }

  private static void section(StringBuilder out, ContextSource source, List<ContextItem> items) {
    if (items.isEmpty()) {
      return;
    }
    out.append(PromptFraming.heading(source));
    items.forEach(item -> out.append("\n- ").append(item.rendered()));
  }
}
