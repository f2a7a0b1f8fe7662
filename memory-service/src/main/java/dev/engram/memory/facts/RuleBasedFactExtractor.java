package dev.engram.memory.facts;

import dev.engram.events.FactCategory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * First-person statements of the user about preferences, identity, places, work, relationships and
 * plans, found with patterns sentence by sentence. Only the user's own words (or a memory added by
 * its owner) are read: an assistant saying "I like" says nothing about the user.
 */
@ApplicationScoped
public class RuleBasedFactExtractor implements FactExtractor {

  private static final String OBJ = "([^.,;!?\\n]{2,80}?)";
  private static final String END =
      "(?:\\s*[.,;!?\\n]|\\s+(?:and|but|because|since|so|although|though|which|who|where|when"
          + "|with|last|this|next|yesterday|today|tonight|tomorrow|recently|now|too|as well|a lot"
          + "|so much|very much|anymore|any more|at all)\\b|\\s*$)";
  private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?\\n])\\s+");
  private static final Pattern HEDGE =
      Pattern.compile("(?i)\\b(i think|maybe|probably|perhaps)\\b");
  private static final Set<String> SINGLE_RELATIONS =
      Set.of(
          "wife",
          "husband",
          "partner",
          "boyfriend",
          "girlfriend",
          "mother",
          "mom",
          "father",
          "dad",
          "boss");

  private record Rule(
      Pattern pattern, FactCategory category, String predicate, boolean exclusive, double conf) {}

  private static final List<Rule> RULES =
      List.of(
          rule(
              "\\bmy name is ([A-Z][\\w'-]+(?: [A-Z][\\w'-]+)?)",
              FactCategory.KNOWLEDGE,
              "name_is",
              true,
              0.95),
          rule("\\bcall me ([A-Z][\\w'-]+)", FactCategory.KNOWLEDGE, "name_is", true, 0.85),
          rule("\\bi(?: am|'m) (\\d{1,3}) years? old", FactCategory.KNOWLEDGE, "age_is", true, 0.9),
          rule("\\bi(?: am|'m) from " + OBJ + END, FactCategory.KNOWLEDGE, "is_from", true, 0.85),
          rule(
              "\\bi (?:now )?(?:live|am living|'m living) in " + OBJ + END,
              FactCategory.CONTEXT,
              "lives_in",
              true,
              0.9),
          rule(
              "\\bi (?:just )?(?:moved|relocated) to " + OBJ + END,
              FactCategory.CONTEXT,
              "lives_in",
              true,
              0.85),
          rule(
              "\\bi (?:now )?(?:work|am working|'m working) (?:at|for) " + OBJ + END,
              FactCategory.CONTEXT,
              "works_at",
              true,
              0.9),
          rule("\\bi work as an? " + OBJ + END, FactCategory.KNOWLEDGE, "works_as", true, 0.9),
          rule(
              "\\bi(?: am|'m) allergic to " + OBJ + END,
              FactCategory.KNOWLEDGE,
              "is_allergic_to",
              false,
              0.9),
          rule(
              "\\bi(?: am|'m) (?:learning|studying) " + OBJ + END,
              FactCategory.CONTEXT,
              "is_learning",
              false,
              0.75),
          rule(
              "\\bi(?:'m| am) (?:planning|hoping|going) to " + OBJ + END,
              FactCategory.CONTEXT,
              "plans_to",
              false,
              0.65),
          rule("\\bi plan to " + OBJ + END, FactCategory.CONTEXT, "plans_to", false, 0.7),
          rule(
              "\\bi (?:really |absolutely |do )?(?:like|love|enjoy|adore|prefer) " + OBJ + END,
              FactCategory.PREFERENCE,
              "likes",
              true,
              0.8),
          rule(
              "\\bi (?:(?:really )?(?:don't|do not) (?:like|enjoy|love)|dislike|hate|can't stand"
                  + "|cannot stand) "
                  + OBJ
                  + END,
              FactCategory.PREFERENCE,
              "dislikes",
              true,
              0.8));

  private static final Pattern FAVORITE =
      Pattern.compile("(?i)\\bmy favou?rite ([a-z]+(?: [a-z]+)?) is " + OBJ + END);
  private static final Pattern RELATION =
      Pattern.compile(
          "(?i)\\bmy (wife|husband|partner|boyfriend|girlfriend|son|daughter|mother|mom|father|dad"
              + "|brother|sister|friend|best friend|dog|cat|boss)(?:'s name)? is ([A-Z][\\w'-]+)");

  private static Rule rule(
      String regex, FactCategory category, String predicate, boolean exclusive, double conf) {
    return new Rule(Pattern.compile("(?i)" + regex), category, predicate, exclusive, conf);
  }

  @Override
  public List<ExtractedFact> extract(String text, String role) {
    if (role != null && !"user".equals(role)) {
      return List.of();
    }
    Map<String, ExtractedFact> found = new LinkedHashMap<>();
    for (String sentence : SENTENCES.split(text)) {
      double hedge = HEDGE.matcher(sentence).find() ? 0.7 : 1;
      for (Rule rule : RULES) {
        Matcher m = rule.pattern().matcher(sentence);
        while (m.find()) {
          String object = clean(m.group(1));
          if (!object.isEmpty()) {
            String slot = slot(rule.predicate(), object, rule.exclusive());
            add(
                found,
                new ExtractedFact(
                    rule.category(), "user", rule.predicate(), object, rule.conf() * hedge, slot));
          }
        }
      }
      Matcher favorite = FAVORITE.matcher(sentence);
      while (favorite.find()) {
        String predicate = "favorite_" + favorite.group(1).toLowerCase().replace(' ', '_') + "_is";
        add(
            found,
            new ExtractedFact(
                FactCategory.PREFERENCE,
                "user",
                predicate,
                clean(favorite.group(2)),
                0.9 * hedge,
                predicate));
      }
      Matcher relation = RELATION.matcher(sentence);
      while (relation.find()) {
        String kind = relation.group(1).toLowerCase().replace(' ', '_');
        String predicate = "has_" + kind + "_named";
        String slot = SINGLE_RELATIONS.contains(kind) ? predicate : null;
        add(
            found,
            new ExtractedFact(
                FactCategory.KNOWLEDGE, "user", predicate, relation.group(2), 0.85 * hedge, slot));
      }
    }
    return new ArrayList<>(found.values());
  }

  private static String slot(String predicate, String object, boolean exclusive) {
    return exclusive ? ExtractedFact.exclusiveSlot(predicate, object) : null;
  }

  private static void add(Map<String, ExtractedFact> found, ExtractedFact fact) {
    found.putIfAbsent(fact.predicate() + "|" + fact.normalizedObject(), fact);
  }

  private static String clean(String object) {
    return object.trim().replaceAll("\\s+", " ").replaceAll("[\"'()]+$", "").trim();
  }
}
