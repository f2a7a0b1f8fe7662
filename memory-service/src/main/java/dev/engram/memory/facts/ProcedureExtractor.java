package dev.engram.memory.facts;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds how-to knowledge in a message: a task announced as "to X:", "how to X:" or "steps to X:"
 * followed by a numbered or bulleted list, or a "first ..., then ..., finally ..." sentence.
 */
@ApplicationScoped
public class ProcedureExtractor {

  private static final Pattern HEADER =
      Pattern.compile(
          "(?im)^(?:.*?\\b)?(?:here(?:'s| is) )?(?:how to|steps to|steps for|to) ([^:\\n]{3,120}):\\s*$");
  private static final Pattern ITEM = Pattern.compile("(?m)^\\s*(?:\\d+[.)]|[-*•])\\s+(.+?)\\s*$");
  private static final Pattern SEQUENCE =
      Pattern.compile(
          "(?i)\\bto ([^,.:;]{3,80}),?\\s+(?:you |i )?first,? (.+?),?\\s+then,? (.+?)"
              + "(?:,?\\s+(?:and )?(?:finally|lastly),? (.+?))?[.!]?$");

  public Optional<ExtractedProcedure> extract(String text) {
    Matcher header = HEADER.matcher(text);
    if (header.find()) {
      List<String> steps = new ArrayList<>();
      Matcher item = ITEM.matcher(text.substring(header.end()));
      while (item.find()) {
        steps.add(item.group(1));
      }
      if (steps.size() >= 2) {
        return Optional.of(new ExtractedProcedure(header.group(1).trim(), steps));
      }
    }
    Matcher sequence = SEQUENCE.matcher(text.trim());
    if (sequence.find()) {
      List<String> steps = new ArrayList<>();
      for (int g = 2; g <= 4; g++) {
        if (sequence.group(g) != null) {
          steps.add(sequence.group(g).trim());
        }
      }
      return Optional.of(new ExtractedProcedure(sequence.group(1).trim(), steps));
    }
    return Optional.empty();
  }
}
