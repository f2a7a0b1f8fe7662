package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.deploy.EngramChart.Workload;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pod the chart runs (or hands to the broker) is hardened the same way. */
class WorkloadSecurityTest {

  static List<Workload> workloads(String scenario) {
    List<Workload> workloads = EngramChart.render(scenario).workloads();
    assertThat(workloads).isNotEmpty();
    return workloads;
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void everyContainerRunsAsNonRootOnAReadOnlyFilesystemWithoutPrivileges(String scenario) {
    for (Workload w : workloads(scenario)) {
      JsonNode pod = w.podSpec();
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(w.name()).isTrue();
      assertThat(pod.at("/securityContext/runAsUser").asInt()).as(w.name()).isPositive();
      assertThat(pod.at("/securityContext/seccompProfile/type").asText())
          .as(w.name())
          .isEqualTo("RuntimeDefault");
      for (JsonNode c : pod.path("containers")) {
        String what = w.name() + "/" + c.path("name").asText();
        JsonNode sc = c.path("securityContext");
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as(what).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as(what).isFalse();
        assertThat(sc.at("/capabilities/drop").toString()).as(what).isEqualTo("[\"ALL\"]");
        assertThat(sc.has("privileged") && sc.path("privileged").asBoolean()).as(what).isFalse();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void everyContainerHasRequestsLimitsAndAWritableTmp(String scenario) {
    for (Workload w : workloads(scenario)) {
      for (JsonNode c : w.podSpec().path("containers")) {
        String what = w.name() + "/" + c.path("name").asText();
        for (String bound : List.of("requests", "limits")) {
          assertThat(c.at("/resources/" + bound + "/cpu").asText()).as(what).isNotBlank();
          assertThat(c.at("/resources/" + bound + "/memory").asText()).as(what).isNotBlank();
        }
        JsonNode tmp = volumeMountedAt(w.podSpec(), c, "/tmp");
        assertThat(tmp).as(what + " /tmp volume").isNotNull();
        assertThat(tmp.has("emptyDir")).as(what + " /tmp is an emptyDir").isTrue();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void everyLongRunningContainerHasLivenessAndReadinessProbes(String scenario) {
    for (Workload w : workloads(scenario)) {
      for (JsonNode c : w.podSpec().path("containers")) {
        String what = w.name() + "/" + c.path("name").asText();
        assertThat(c.has("livenessProbe")).as(what).isTrue();
        assertThat(c.has("readinessProbe")).as(what).isTrue();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void quarkusServicesProbeTheirHealthEndpoints(String scenario) {
    for (Workload w : workloads(scenario)) {
      if (w.name().matches(".*(postgresql|redis|kafka)")) {
        continue;
      }
      JsonNode c = w.podSpec().path("containers").get(0);
      assertThat(c.at("/livenessProbe/httpGet/path").asText())
          .as(w.name())
          .isEqualTo("/q/health/live");
      assertThat(c.at("/readinessProbe/httpGet/path").asText())
          .as(w.name())
          .isEqualTo("/q/health/ready");
      assertThat(c.at("/startupProbe/httpGet/path").asText())
          .as(w.name())
          .isEqualTo("/q/health/started");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.engram.deploy.Scenarios#all")
  void onlyTheBrokerGetsAServiceAccountToken(String scenario) {
    var rendered = EngramChart.render(scenario);
    for (Workload w : rendered.workloads()) {
      boolean broker = w.name().equals("engram-container-broker");
      assertThat(w.podSpec().path("automountServiceAccountToken").asBoolean(true))
          .as(w.name())
          .isEqualTo(broker);
    }
    for (var sa : rendered.all("ServiceAccount")) {
      String name = sa.at("/metadata/name").asText();
      assertThat(sa.path("automountServiceAccountToken").asBoolean(true))
          .as(name)
          .isEqualTo(name.equals("engram-container-broker"));
    }
    assertThat(rendered.all("ServiceAccount"))
        .extracting(sa -> sa.at("/metadata/name").asText())
        .containsExactlyInAnyOrder(
            "engram-session-service",
            "engram-memory-service",
            "engram-container-broker",
            "engram-orchestrator-service");
  }

  static JsonNode volumeMountedAt(JsonNode pod, JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (path.equals(mount.path("mountPath").asText())) {
        for (JsonNode volume : pod.path("volumes")) {
          if (volume.path("name").asText().equals(mount.path("name").asText())) {
            return volume;
          }
        }
      }
    }
    return null;
  }
}
