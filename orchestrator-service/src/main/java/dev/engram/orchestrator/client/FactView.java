package dev.engram.orchestrator.client;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.UUID;

/** A semantic fact (subject, predicate, object) as memory-service returns it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FactView(
    @JsonAlias({"factId"}) UUID id,
    String category,
    String subject,
    String predicate,
    String object,
    double confidence) {

  /** "subject predicate object", with predicate words separated ({@code name_is} → "name is"). */
  public String sentence() {
    return String.join(" ", nz(subject), nz(predicate).replace('_', ' '), nz(object)).trim();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
