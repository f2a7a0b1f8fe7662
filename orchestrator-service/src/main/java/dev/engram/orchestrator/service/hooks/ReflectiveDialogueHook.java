package dev.engram.orchestrator.service.hooks;

import dev.engram.orchestrator.config.OrchestratorConfig;
import dev.engram.orchestrator.service.context.AssembledContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in reflective-dialogue processor (on by default; {@code
 * engram.orchestrator.hooks.reflective-dialogue.enabled=false} switches it off).
 *
 * <ul>
 *   <li>{@code onMessageReceived}: notices feelings ("I feel anxious", "I'm worried") and
 *       uncertainty ("I'm not sure", "should I", "I don't know") and records them in the message's
 *       metadata under {@code reflection}.
 *   <li>{@code onContextBuilt}: asks the model to acknowledge what the user expressed and to end
 *       with one open question.
 *   <li>{@code onResponseGenerated}: if the answer asks nothing back, appends one reflective
 *       question, and marks the answer's metadata {@code reflective: true}.
 * </ul>
 */
@ApplicationScoped
public class ReflectiveDialogueHook implements TurnHook {

  static final String CUES = "reflection.cues";

  private static final Pattern FEELING =
      Pattern.compile(
          "\\bi(?: am|'m| feel| am feeling|'m feeling)(?: so| really| very| a bit)? "
              + "(anxious|worried|sad|stressed|overwhelmed|lonely|angry|frustrated|afraid|scared|"
              + "nervous|tired|lost|stuck|upset|happy|excited|proud|confused)\\b");
  private static final Pattern UNCERTAIN =
      Pattern.compile(
          "\\b(i'?m not sure|i am not sure|i don'?t know|should i|i wonder|i can'?t decide|"
              + "not certain)\\b");

  private final boolean enabled;

  public ReflectiveDialogueHook(OrchestratorConfig config) {
    this.enabled = config.hooks().reflectiveDialogue().enabled();
  }

  @Override
  public IncomingMessage onMessageReceived(TurnInfo turn, IncomingMessage message) {
    if (!enabled) {
      return message;
    }
    List<String> cues = cues(message.content());
    if (cues.isEmpty()) {
      return message;
    }
    turn.attributes().put(CUES, cues);
    return message.withMetadata("reflection", java.util.Map.of("cues", cues));
  }

  @Override
  public AssembledContext onContextBuilt(TurnInfo turn, AssembledContext context) {
    List<String> cues = cuesOf(turn);
    if (cues.isEmpty()) {
      return context;
    }
    return context.withInstruction(
        "Reflective dialogue: the user expressed "
            + String.join(" and ", cues)
            + ". Acknowledge it in your own words before you answer, and end with one open"
            + " question that helps them reflect further.");
  }

  @Override
  public GeneratedResponse onResponseGenerated(
      TurnInfo turn, AssembledContext context, GeneratedResponse response) {
    List<String> cues = cuesOf(turn);
    if (cues.isEmpty() || response.content().contains("?")) {
      return response;
    }
    String cue = cues.get(0);
    String question =
        cue.startsWith("feeling ")
            ? "You said you are " + cue.substring(8) + ". What do you think is behind that?"
            : "What would help you feel more certain about this?";
    return response
        .withContent(response.content() + "\n\n" + question)
        .withMetadata("reflective", true);
  }

  @Override
  public int priority() {
    return 1000;
  }

  /** The cues found in {@code text}: {@code feeling <word>} and/or {@code uncertainty}. */
  static List<String> cues(String text) {
    List<String> cues = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    Matcher feeling = FEELING.matcher(lower);
    if (feeling.find()) {
      cues.add("feeling " + feeling.group(1));
    }
    if (UNCERTAIN.matcher(lower).find()) {
      cues.add("uncertainty");
    }
    return cues;
  }

  @SuppressWarnings("unchecked")
  private static List<String> cuesOf(TurnInfo turn) {
    Object cues = turn.attributes().get(CUES);
    return cues instanceof List<?> list ? (List<String>) list : List.of();
  }
}
