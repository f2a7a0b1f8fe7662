package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.deploy.EngramChart.Rendered;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stateless services scale horizontally and survive voluntary disruptions. */
class ScalingTest {

  static final List<String> STATELESS =
      List.of("engram-session-service", "engram-memory-service", "engram-container-broker");

  @Test
  void statelessServicesHaveAnAutoscalerAndADisruptionBudget() {
    Rendered rendered = EngramChart.render();
    for (String name : STATELESS) {
      JsonNode hpa = rendered.get("HorizontalPodAutoscaler", name);
      assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
      assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(name);
      assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
      assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
      // The autoscaler owns the replica count: the Deployment must not fight it.
      assertThat(rendered.get("Deployment", name).at("/spec/replicas").isMissingNode()).isTrue();

      JsonNode pdb = rendered.get("PodDisruptionBudget", name);
      assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
      assertThat(pdb.at("/spec/selector/matchLabels"))
          .isEqualTo(rendered.get("Deployment", name).at("/spec/selector/matchLabels"));
    }
    assertThat(rendered.all("HorizontalPodAutoscaler")).hasSize(STATELESS.size());
  }

  @Test
  void withoutAutoscalersTheReplicaCountComesFromValues() {
    Rendered rendered = EngramChart.render("fixed-replicas");
    assertThat(rendered.all("HorizontalPodAutoscaler")).isEmpty();
    for (String name : STATELESS) {
      assertThat(rendered.get("Deployment", name).at("/spec/replicas").asInt()).isEqualTo(3);
    }
  }

  @Test
  void rollingUpdatesNeverDropBelowTheCurrentCapacity() {
    for (String name : STATELESS) {
      JsonNode strategy = EngramChart.render().get("Deployment", name).at("/spec/strategy");
      assertThat(strategy.at("/rollingUpdate/maxUnavailable").asInt()).isZero();
    }
  }
}
