package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broker may touch its pods, its election's Lease and the ConfigMap that owns the pods, in its
 * own namespace, and nothing else. The container-broker's Kubernetes tests check that every request
 * the broker makes is allowed by this Role (read from k8s/engram.yaml); these check that it grants
 * no more.
 */
class RbacTest {

  /** One rule of the Role, flattened: {@code group/resource}, verbs, names (empty: any). */
  record Grant(String resource, List<String> verbs, List<String> names) {}

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void theBrokerRoleGrantsExactlyWhatTheBrokerDoes(String scenario) {
    var rendered = EngramChart.render(scenario);
    assertThat(rendered.all("ClusterRole")).isEmpty();
    assertThat(rendered.all("ClusterRoleBinding")).isEmpty();
    assertThat(rendered.all("Role")).hasSize(1);

    JsonNode role = rendered.get("Role", "engram-container-broker");
    assertThat(role.at("/metadata/namespace").asText()).isEqualTo(EngramChart.NAMESPACE);
    List<Grant> grants = new ArrayList<>();
    for (JsonNode rule : role.path("rules")) {
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          grants.add(
              new Grant(
                  group.asText() + "/" + resource.asText(),
                  texts(rule.path("verbs")),
                  texts(rule.path("resourceNames"))));
        }
      }
    }
    assertThat(grants)
        .containsExactlyInAnyOrder(
            new Grant(
                "/pods", List.of("get", "list", "watch", "create", "patch", "delete"), List.of()),
            // the elector creates its Lease when missing: a create cannot name what it creates
            new Grant("coordination.k8s.io/leases", List.of("create"), List.of()),
            // Fabric8's LeaseLock reads the Lease and renews it with a JSON merge patch
            new Grant(
                "coordination.k8s.io/leases",
                List.of("get", "patch"),
                List.of("engram-pool-controller")),
            // the pods' owner, followed by an informer with a metadata.name field selector
            new Grant(
                "/configmaps",
                List.of("get", "list", "watch"),
                List.of("engram-orchestrator-service-pod-template")));
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void theNamedObjectsAreTheOnesTheBrokerIsToldAbout(String scenario) {
    var rendered = EngramChart.render(scenario);
    JsonNode broker = ConfigTest.config(rendered, "container-broker");
    assertThat(broker.path("ENGRAM_BROKER_KUBERNETES_LEASE_NAME").asText())
        .isEqualTo("engram-pool-controller");
    String owner = broker.path("ENGRAM_BROKER_KUBERNETES_OWNER_CONFIG_MAP").asText();
    assertThat(owner).isEqualTo("engram-orchestrator-service-pod-template");
    // the owner is the chart's own object (helm uninstall deletes it), the pod template the
    // broker has mounted
    assertThat(rendered.get("ConfigMap", owner).at("/data/orchestrator-pod.yaml").asText())
        .contains("kind: Pod");
    assertThat(
            rendered
                .get("Deployment", "engram-container-broker")
                .at("/spec/template/spec/volumes")
                .findValuesAsText("name"))
        .contains(owner);
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
