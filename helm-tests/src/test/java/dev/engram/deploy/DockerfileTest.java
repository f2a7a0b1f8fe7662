package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The images built from the services' Dockerfiles fit the pods the chart runs them in. */
class DockerfileTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"session-service", "memory-service", "container-broker", "orchestrator-service"})
  void theImageRunsAsTheChartsUserOnTheChartsPort(String service) throws Exception {
    Path dockerfile =
        EngramChart.dir().resolve("../../" + service + "/src/main/docker/Dockerfile.jvm");
    String text = Files.readString(dockerfile);
    var rendered = EngramChart.render();
    var pod =
        service.equals("orchestrator-service")
            ? rendered.orchestratorPod().path("spec")
            : rendered.get("Deployment", "engram-" + service).at("/spec/template/spec");

    assertThat(text).contains("\nUSER " + pod.at("/securityContext/runAsUser").asInt() + "\n");
    assertThat(text)
        .contains("\nEXPOSE " + pod.at("/containers/0/ports/0/containerPort").asInt() + "\n");
    assertThat(text).contains("/tmp");
  }
}
