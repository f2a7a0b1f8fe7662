package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.deploy.EngramChart.Rendered;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** User pods only from the gateway; services only from the suite; everything else denied. */
class NetworkPolicyTest {

  static final String COMPONENT = "app.kubernetes.io/component";

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void everyPodIsIsolatedInBothDirectionsByExactlyOnePolicy(String scenario) {
    Rendered rendered = EngramChart.render(scenario);
    List<JsonNode> pods = new ArrayList<>();
    rendered.all("Deployment").forEach(d -> pods.add(d.at("/spec/template/metadata/labels")));
    rendered.all("StatefulSet").forEach(s -> pods.add(s.at("/spec/template/metadata/labels")));
    pods.add(rendered.orchestratorPod().at("/metadata/labels"));

    for (JsonNode labels : pods) {
      List<JsonNode> selecting =
          rendered.all("NetworkPolicy").stream()
              .filter(p -> matches(p.at("/spec/podSelector"), labels))
              .map(JsonNode.class::cast)
              .toList();
      assertThat(selecting).as(labels.path(COMPONENT).asText()).hasSize(1);
      assertThat(RbacTest.texts(selecting.getFirst().at("/spec/policyTypes")))
          .containsExactlyInAnyOrder("Ingress", "Egress");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void userPodsAreSelectedByThePoolTheBrokerLabelsThemWith(String scenario) {
    Rendered rendered = EngramChart.render(scenario);
    String pool =
        rendered
            .get("ConfigMap", "engram-container-broker")
            .at("/data/ENGRAM_BROKER_KUBERNETES_POOL")
            .asText();
    assertThat(
            rendered
                .get("NetworkPolicy", "engram-orchestrator-service")
                .at("/spec/podSelector/matchLabels"))
        .isEqualTo(
            EngramChart.YAML.valueToTree(
                Map.of("app.kubernetes.io/instance", pool, "engram.dev/pool", pool)));
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void userPodsAcceptTrafficOnlyFromTheBroker(String scenario) {
    JsonNode policy =
        EngramChart.render(scenario).get("NetworkPolicy", "engram-orchestrator-service");
    JsonNode ingress = policy.at("/spec/ingress");
    assertThat(ingress).hasSize(1);
    assertThat(ingress.at("/0/ports/0/port").asInt()).isEqualTo(8090);
    assertThat(ingress.at("/0/from")).hasSize(1);
    assertThat(ingress.at("/0/from/0/podSelector/matchLabels"))
        .isEqualTo(
            EngramChart.YAML.valueToTree(
                Map.of(
                    "app.kubernetes.io/name",
                    "engram",
                    "app.kubernetes.io/instance",
                    "engram",
                    COMPONENT,
                    "container-broker")));
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void servicesAcceptTrafficOnlyFromTheSuite(String scenario) {
    Rendered rendered = EngramChart.render(scenario);
    for (String service : List.of("session-service", "memory-service")) {
      JsonNode ingress = rendered.get("NetworkPolicy", "engram-" + service).at("/spec/ingress");
      assertThat(ingress).hasSize(1);
      JsonNode from = ingress.at("/0/from");
      assertThat(from).as(service).hasSize(2);
      assertThat(from.at("/0/podSelector/matchLabels/app.kubernetes.io~1instance").asText())
          .isEqualTo("engram");
      assertThat(RbacTest.texts(from.at("/0/podSelector/matchExpressions/0/values")))
          .containsExactlyInAnyOrder(
              "container-broker", "session-service", "memory-service", "test");
      assertThat(from.at("/1/podSelector/matchLabels/engram.dev~1pool").asText())
          .isEqualTo("engram");
      for (JsonNode peer : from) {
        assertThat(peer.has("namespaceSelector") || peer.has("ipBlock")).isFalse();
      }
    }
  }

  @Test
  void theBrokerReachesUserPodsAndTheKubernetesApi() {
    JsonNode egress =
        EngramChart.render().get("NetworkPolicy", "engram-container-broker").at("/spec/egress");
    assertThat(egress.toString())
        .contains("\"port\":8090")
        .contains("\"engram.dev/pool\":\"engram\"")
        .contains("\"port\":443")
        .contains("\"port\":53");
  }

  @Test
  void inClusterInfrastructureAcceptsOnlyItsClients() {
    Rendered rendered = EngramChart.render("in-cluster");
    assertThat(clients(rendered, "postgresql"))
        .containsExactlyInAnyOrder("session-service", "memory-service");
    assertThat(clients(rendered, "redis"))
        .containsExactlyInAnyOrder("memory-service", "container-broker", "orchestrator-service");
    assertThat(clients(rendered, "kafka"))
        .containsExactlyInAnyOrder(
            "session-service",
            "memory-service",
            "container-broker",
            "orchestrator-service",
            "kafka");
    // The services' egress to the infrastructure goes to its pods, not anywhere on the port.
    assertThat(
            rendered.get("NetworkPolicy", "engram-session-service").at("/spec/egress").toString())
        .contains("\"app.kubernetes.io/component\":\"postgresql\"");
  }

  @Test
  void policiesCanBeTurnedOff() {
    Rendered rendered =
        EngramChart.render(List.of("in-cluster"), Map.of("networkPolicy.enabled", false));
    assertThat(rendered.all("NetworkPolicy")).isEmpty();
  }

  static List<String> clients(Rendered rendered, String infra) {
    List<String> result = new ArrayList<>();
    rendered
        .get("NetworkPolicy", "engram-" + infra)
        .at("/spec/ingress/0/from")
        .forEach(
            peer -> {
              JsonNode labels = peer.at("/podSelector/matchLabels");
              result.add(
                  labels.has("engram.dev/pool")
                      ? "orchestrator-service"
                      : labels.path(COMPONENT).asText());
            });
    return result;
  }

  static boolean matches(JsonNode selector, JsonNode labels) {
    var fields = selector.path("matchLabels").properties();
    for (var label : fields) {
      if (!label.getValue().asText().equals(labels.path(label.getKey()).asText())) {
        return false;
      }
    }
    return !fields.isEmpty();
  }
}
