package dev.engram.orchestrator.service.llm;

import dev.engram.orchestrator.service.context.AssembledContext;
import dev.engram.orchestrator.service.context.ContextItem;
import dev.engram.orchestrator.service.context.ContextSource;
import dev.engram.orchestrator.service.stm.Terms;
import io.smallrye.mutiny.Multi;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in responder used when no model is configured. It answers from the assembled context
 * only (what it remembers that is relevant), and every answer starts with {@link #LABEL} so nobody
 * mistakes it for a model. It quotes what the user said, facts and procedures, never an answer (an
 * item whose speaker was the assistant, or that carries the label): quoting earlier answers, which
 * quote what they recalled, would nest copies of copies into every new answer.
 */
public final class OfflineResponder implements LlmProvider {

  /** The label every offline answer starts with. */
  public static final String LABEL = "[offline responder: no language model is configured]";

  private static final int MAX_RECALLED = 5;
  private static final Pattern WORD = Pattern.compile("\\S+\\s*");

  @Override
  public String name() {
    return "offline";
  }

  @Override
  public boolean offline() {
    return true;
  }

  @Override
  public Multi<String> stream(Prompt prompt) {
    return Multi.createFrom().iterable(words(answer(prompt)));
  }

  /** The whole answer. */
  public static String answer(Prompt prompt) {
    AssembledContext context = prompt.context();
    Set<String> asked = Terms.of(context.userMessage());
    StringBuilder out = new StringBuilder(LABEL).append('\n');
    String name = profileName(context);
    if (name != null) {
      out.append("Hello ").append(name).append(". ");
    }
    // one item per memory or message: the assembler dropped the copies (ContextAssembler: a
    // memory recalled and held in working memory is there once)
    List<String> recalled = new ArrayList<>();
    for (ContextSource source :
        List.of(
            ContextSource.FACTS,
            ContextSource.LONG_TERM,
            ContextSource.WORKING,
            ContextSource.PROCEDURES)) {
      for (ContextItem item : context.of(source)) {
        if (answer(item)) {
          continue;
        }
        boolean related = asked.isEmpty() || Terms.containment(asked, Terms.of(item.text())) > 0;
        if (related
            && !item.text().equals(context.userMessage())
            && recalled.size() < MAX_RECALLED) {
          recalled.add(item.rendered());
        }
      }
    }
    if (prompt.timeRange() != null) {
      out.append("Looking at what happened ").append(prompt.timeRange().phrase()).append(": ");
    }
    if (recalled.isEmpty()) {
      out.append("I do not remember anything related to that yet. I have noted what you said.");
    } else {
      out.append("Here is what I remember that seems related:");
      recalled.forEach(text -> out.append("\n- ").append(text));
    }
    return out.toString();
  }

  /** Whether {@code item} is an answer (of a model or of this responder), not the user's words. */
  private static boolean answer(ContextItem item) {
    return "assistant".equals(item.role()) || item.text().contains(LABEL);
  }

  private static String profileName(AssembledContext context) {
    for (ContextItem item : context.of(ContextSource.PROFILE)) {
      Matcher m = Pattern.compile("name: ([^;]+)").matcher(item.text());
      if (m.find()) {
        return m.group(1).trim();
      }
    }
    return null;
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      words.add(m.group());
    }
    return words;
  }
}
