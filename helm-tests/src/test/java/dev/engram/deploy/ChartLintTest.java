package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint, and the values schema that turns a typo into an install error. */
class ChartLintTest {

  @Test
  void theChartLintsCleanInStrictMode() {
    MockCluster.client();
    var result = EngramChart.helm().lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void everyScenarioRendersWithoutRepeatingAName(String scenario) {
    var rendered = EngramChart.render(scenario);
    List<String> ids = new ArrayList<>();
    rendered
        .objects()
        .forEach(o -> ids.add(o.path("kind").asText() + "/" + o.at("/metadata/name").asText()));
    assertThat(ids).doesNotHaveDuplicates().isNotEmpty();
  }

  @Test
  void theSchemaRejectsAMisspelledKey() {
    assertThatThrownBy(
            () -> EngramChart.render(List.of(), Map.of("sessionService.replicaCount", 3)))
        .hasMessageContaining("replicaCount")
        .hasMessageContaining("additional properties");
    assertThatThrownBy(
            () -> EngramChart.render(List.of(), Map.of("orchestrator.pool.idleTimeuot", "5m")))
        .hasMessageContaining("idleTimeuot");
  }

  @Test
  void theSchemaRejectsAWrongValue() {
    assertThatThrownBy(() -> EngramChart.render(List.of(), Map.of("orchestrator.pool.warm", -1)))
        .hasMessageContaining("warm");
    assertThatThrownBy(
            () -> EngramChart.render(List.of(), Map.of("orchestrator.pool.idleTimeout", "soon")))
        .hasMessageContaining("idleTimeout");
  }

  @Test
  void everyObjectOfTheSchemaIsClosed() throws Exception {
    JsonNode schema =
        EngramChart.YAML.readTree(EngramChart.dir().resolve("values.schema.json").toFile());
    assertClosed("", schema);
  }

  @Test
  void everyValueIsDocumentedWithAParamComment() throws Exception {
    String values = Files.readString(EngramChart.dir().resolve("values.yaml"));
    JsonNode tree = EngramChart.YAML.readTree(values);
    List<String> leaves = new ArrayList<>();
    collectLeaves("", tree, leaves);
    for (String leaf : leaves) {
      boolean documented =
          Pattern.compile("## @param " + Pattern.quote(leaf) + "(\\.| )").matcher(values).find();
      assertThat(documented).as("## @param for " + leaf).isTrue();
    }
  }

  static void assertClosed(String path, JsonNode schema) {
    if (schema.has("properties")) {
      assertThat(
              schema.path("additionalProperties").isBoolean()
                  && !schema.path("additionalProperties").asBoolean())
          .as("additionalProperties: false at " + (path.isEmpty() ? "the root" : path))
          .isTrue();
      schema
          .path("properties")
          .properties()
          .forEach(e -> assertClosed(path + "." + e.getKey(), e.getValue()));
    }
  }

  /** Keys whose value is documented as a whole: maps and Kubernetes objects passed through. */
  static void collectLeaves(String prefix, JsonNode node, List<String> leaves) {
    if (node.isObject() && !node.isEmpty() && !passedThrough(prefix)) {
      node.properties()
          .forEach(
              e ->
                  collectLeaves(
                      prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                      e.getValue(),
                      leaves));
    } else {
      leaves.add(prefix);
    }
  }

  static boolean passedThrough(String key) {
    return key.endsWith("resources")
        || key.endsWith("SecurityContext")
        || key.equals("networkPolicy.llmEgress");
  }
}
