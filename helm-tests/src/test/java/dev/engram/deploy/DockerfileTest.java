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

  /**
   * The chart hands its JVM options to the services as JAVA_OPTS_APPEND; the JVM must get them. The
   * base image's run-java.sh ignores JAVA_OPTS_APPEND when JAVA_OPTS is set, so an image that sets
   * JAVA_OPTS must launch java itself with $JAVA_OPTS_APPEND.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"session-service", "memory-service", "container-broker", "orchestrator-service"})
  void theChartsJvmOptionsReachTheJvm(String service) throws Exception {
    String text =
        Files.readString(
            EngramChart.dir().resolve("../../" + service + "/src/main/docker/Dockerfile.jvm"));
    String entrypoint =
        text.lines().filter(l -> l.startsWith("ENTRYPOINT")).reduce((a, b) -> b).orElseThrow();
    assertThat(entrypoint).doesNotContain("run-java.sh").contains("exec java ");
    assertThat(entrypoint.indexOf("$JAVA_OPTS_APPEND"))
        .as("JAVA_OPTS_APPEND comes after the image's options and before the jar")
        .isPositive()
        .isLessThan(entrypoint.indexOf(" -jar "));
    assertThat(text).doesNotContain("ENV JAVA_OPTS=");
    assertThat(
            EngramChart.render()
                .get("ConfigMap", "engram-" + service)
                .at("/data/JAVA_OPTS_APPEND")
                .asText())
        .isNotBlank();
  }
}
