package dev.engram.deploy;

import java.util.stream.Stream;

/** The values scenarios every structural test runs against (src/test/resources/scenarios). */
final class Scenarios {
  private Scenarios() {}

  static Stream<String> all() {
    return Stream.of(
        EngramChart.DEFAULTS,
        "in-cluster",
        "ingress",
        "fixed-replicas",
        "existing-secrets",
        "managed-kafka");
  }
}
