package dev.engram.orchestrator.service.stm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The content words of a text, as attention and the offline responder compare them. */
class TermsTest {

  @Test
  void contentWordsAreLowerCasedFoldedAndWithoutStopWordsOrShortWords() {
    assertThat(Terms.of("My sister Clara lives in Lisbon; she LOVES the cities' 2 museums!"))
        .containsExactly("sister", "clara", "live", "lisbon", "love", "city", "museum");
    assertThat(Terms.of("Café crème, Zürich 2026 — naïve Ⅻ ½"))
        .containsExactly("café", "crème", "zürich", "2026", "naïve");
    assertThat(Terms.frequencies("tea, Tea and teas")).containsEntry("tea", 3).hasSize(1);
    assertThat(Terms.of(null)).isEmpty();
  }

  /**
   * The words are the runs of letters and digits ({@code \p{L}}, {@code \p{N}}) of the lower-cased
   * text, exactly as a regular-expression split on everything else finds them (random texts over an
   * alphabet without stop words or plural endings, so every word of 3 or more is a term as it is).
   */
  @Test
  void theScanFindsTheSameWordsAsASplitOnNonLettersAndDigitsAndNormalisesAlike() {
    Pattern split = Pattern.compile("[^\\p{L}\\p{N}]+");
    String alphabet = "abcXYZ019 ,.;'-_!?\t\néàüßÆøΩωЖж中文٣Ⅻ½😀\u00a0\u2028İ";
    int letters = alphabet.codePointCount(0, alphabet.length());
    Random random = new Random(42);
    for (int n = 0; n < 5000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(60);
      for (int i = 0; i < length; i++) {
        text.appendCodePoint(
            alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(letters))));
      }
      Set<String> expected = new LinkedHashSet<>();
      for (String raw : split.split(text.toString().toLowerCase(Locale.ROOT))) {
        if (raw.length() >= 3) {
          expected.add(raw);
        }
      }

      assertThat(Terms.of(text.toString()))
          .as("terms of %s", text)
          .containsExactlyElementsOf(expected);
      assertThat(Terms.normalised(text.toString()))
          .as("normalised %s", text)
          .isEqualTo(
              split.matcher(text.toString().toLowerCase(Locale.ROOT)).replaceAll(" ").trim());
    }
  }
}
