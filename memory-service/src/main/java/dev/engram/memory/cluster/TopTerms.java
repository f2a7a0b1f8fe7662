package dev.engram.memory.cluster;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A cluster's label: the terms its members use most, stop words left out. */
public final class TopTerms {

  private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}'-]{2,}");
  private static final Set<String> STOP =
      Set.of(
          "the", "and", "for", "that", "this", "with", "you", "your", "have", "has", "had", "was",
          "were", "are", "but", "not", "just", "what", "when", "where", "which", "who", "how",
          "about", "from", "they", "them", "their", "there", "then", "than", "too", "very", "can",
          "could", "would", "should", "will", "into", "out", "our", "his", "her", "she", "him",
          "its", "it's", "i'm", "i've", "i'll", "don't", "did", "does", "been", "being", "also",
          "some", "any", "all", "more", "much", "many", "really", "yeah", "yes", "like", "get",
          "got", "one", "know", "think", "user", "that's", "thanks", "thank", "lot", "way", "sure");

  private TopTerms() {}

  public static String label(Collection<String> texts, int terms) {
    Map<String, Integer> counts = new HashMap<>();
    for (String text : texts) {
      Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
      Set<String> seen = new java.util.HashSet<>();
      while (m.find()) {
        String word = m.group();
        if (!STOP.contains(word) && seen.add(word)) {
          counts.merge(word, 1, Integer::sum);
        }
      }
    }
    return counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(terms)
        .map(Map.Entry::getKey)
        .collect(Collectors.joining(", "));
  }
}
