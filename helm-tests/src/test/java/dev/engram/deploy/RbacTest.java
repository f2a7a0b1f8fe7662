package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The broker may touch pods and leases of its own namespace, and nothing else. */
class RbacTest {

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void theBrokerRoleGrantsExactlyPodsAndLeases(String scenario) {
    var rendered = EngramChart.render(scenario);
    assertThat(rendered.all("ClusterRole")).isEmpty();
    assertThat(rendered.all("ClusterRoleBinding")).isEmpty();
    assertThat(rendered.all("Role")).hasSize(1);

    JsonNode role = rendered.get("Role", "engram-container-broker");
    assertThat(role.at("/metadata/namespace").asText()).isEqualTo(EngramChart.NAMESPACE);
    Map<String, List<String>> grants = new TreeMap<>();
    for (JsonNode rule : role.path("rules")) {
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          grants.put(group.asText() + "/" + resource.asText(), texts(rule.path("verbs")));
        }
      }
      assertThat(rule.has("resourceNames")).isFalse();
    }
    assertThat(grants)
        .containsOnly(
            Map.entry("/pods", List.of("get", "list", "watch", "create", "patch", "delete")),
            Map.entry(
                "coordination.k8s.io/leases", List.of("get", "list", "watch", "create", "update")));
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void theRoleIsBoundToTheBrokerServiceAccountOnly(String scenario) {
    var rendered = EngramChart.render(scenario);
    assertThat(rendered.all("RoleBinding")).hasSize(1);
    JsonNode binding = rendered.get("RoleBinding", "engram-container-broker");
    assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo("engram-container-broker");
    assertThat(binding.path("subjects")).hasSize(1);
    assertThat(binding.at("/subjects/0/kind").asText()).isEqualTo("ServiceAccount");
    assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("engram-container-broker");
    assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(EngramChart.NAMESPACE);
    assertThat(
            rendered
                .get("Deployment", "engram-container-broker")
                .at("/spec/template/spec/serviceAccountName")
                .asText())
        .isEqualTo("engram-container-broker");
  }

  static List<String> texts(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }
}
