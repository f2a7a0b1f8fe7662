package dev.engram.orchestrator.service.context;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a message asks something (so that a time phrase in it may narrow the recall), and whether
 * it looks back (so that a phrase that may also name the future, such as "today" or "in April", is
 * taken for the past).
 */
final class RecallPhrasing {

  /** A question or a request to recall. */
  private static final Pattern ASKS =
      Pattern.compile(
          "\\?|\\b(what|when|where|who|which|did i|have i|do you remember|remind me|recall"
              + "|tell me)\\b");

  /**
   * Past-tense or recall phrasing: auxiliaries of the past and the present perfect, verbs of
   * telling and remembering, common irregular past forms, and a pronoun right before a regular past
   * form ("I planted", "we visited"; not "I need", "we feed").
   */
  private static final Pattern LOOKS_BACK =
      Pattern.compile(
          "\\b(did|didn|was|wasn|were|weren|had|hadn|have (i|we|you)|has (he|she|it)"
              + "|(i|we|you)['\u2019]ve|remember|remembered|recall|recalled|remind me|happened"
              + "|said|told|mentioned|talked|discussed|spoke|asked|wrote|went|came|ate|drank"
              + "|made|bought|saw|met|felt|thought|took|heard|sent|spent|paid|forgot|decided"
              + "|planned|agreed)\\b"
              + "|\\b(i|we|you) \\w*[^e\\W]ed\\b");

  private RecallPhrasing() {}

  /** Whether {@code text} is a question or a request to recall something. */
  static boolean asks(String text) {
    return ASKS.matcher(text.toLowerCase(Locale.ROOT)).find();
  }

  /** Whether {@code text} asks about the past ("did I", "what was", "we talked", ...). */
  static boolean looksBack(String text) {
    return LOOKS_BACK.matcher(text.toLowerCase(Locale.ROOT)).find();
  }
}
