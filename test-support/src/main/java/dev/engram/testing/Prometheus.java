package dev.engram.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads samples out of a Prometheus text exposition (what {@code /q/metrics} answers), exemplars
 * included: a sample recorded inside a trace carries {@code # {span_id=..,trace_id=..} value ts}
 * after its own value.
 */
public final class Prometheus {

  private Prometheus() {}

  /**
   * The sum of the samples of the series {@code name} whose labels contain {@code label} (every
   * sample when {@code label} is empty; 0 when there is none).
   */
  public static double sum(String exposition, String name, String label) {
    Matcher m =
        Pattern.compile(
                "(?m)^"
                    + Pattern.quote(name)
                    + "(\\{[^}]*})? ([0-9.eE+-]+|NaN|[+-]Inf)(?: [0-9]+)?(?: # \\{[^}]*} .*)?$")
            .matcher(exposition);
    double sum = 0;
    while (m.find()) {
      if (label.isEmpty() || (m.group(1) != null && m.group(1).contains(label))) {
        sum += Double.parseDouble(m.group(2).replace("Inf", "Infinity"));
      }
    }
    return sum;
  }
}
