package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code helm test} pod: it checks every service's readiness through its Service and waits for
 * a warm orchestrator pod in the broker's pool ({@code /q/health/group/pool}). Its script is run
 * here for real with sh and curl, the Services' names pointed at a stand-in for the suite.
 */
class HelmTestPodTest {

  private static final List<String> SERVICES =
      List.of("engram-session-service", "engram-memory-service", "engram-container-broker");

  @TempDir Path bin;

  @Test
  void theTestPodIsAHardenedHelmTestHook() {
    JsonNode pod = EngramChart.testPod(Map.of());
    assertThat(pod.path("kind").asText()).isEqualTo("Pod");
    assertThat(pod.at("/metadata/annotations/helm.sh~1hook-delete-policy").asText())
        .contains("hook-succeeded");
    assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
    assertThat(pod.at("/spec/automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
    JsonNode container = pod.at("/spec/containers/0");
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/resources/limits/memory").asText()).isNotBlank();
  }

  @Test
  void itReachesEveryServiceAtItsServicePortAndTheBrokersPoolHealth() {
    String script = script(EngramChart.testPod(Map.of()));
    var rendered = EngramChart.render();
    for (String service : SERVICES) {
      String port = rendered.get("Service", service).at("/spec/ports/0/port").asText();
      assertThat(script).contains("http://" + service + ":" + port + "/q/health/ready");
    }
    String brokerPort =
        rendered.get("Service", "engram-container-broker").at("/spec/ports/0/port").asText();
    assertThat(brokerPort).isEqualTo("80");
    assertThat(script)
        .contains("http://engram-container-broker:" + brokerPort + "/q/health/group/pool")
        .contains("+ 240 ))");
  }

  @Test
  void itPassesOnceThePoolHasAWarmPod() throws Exception {
    try (Suite suite = new Suite(2)) {
      Run run = run(EngramChart.testPod(Map.of("tests.warmPoolTimeoutSeconds", 60)), suite);
      assertThat(run.code()).as(run.output()).isZero();
      for (String service : SERVICES) {
        assertThat(run.output()).contains("ready: http://" + service);
      }
      assertThat(run.output()).contains("warm pool: http://engram-container-broker:80");
      assertThat(suite.poolAsked.get()).isEqualTo(3);
    }
  }

  @Test
  void itFailsWithThePoolsCountsWhenNoPodGetsWarmInTime() throws Exception {
    try (Suite suite = new Suite(Integer.MAX_VALUE)) {
      Run run = run(EngramChart.testPod(Map.of("tests.warmPoolTimeoutSeconds", 1)), suite);
      assertThat(run.code()).as(run.output()).isEqualTo(1);
      assertThat(run.output())
          .contains("NO WARM ORCHESTRATOR POD within 1s")
          .contains("\"warm\":0,\"starting\":2");
    }
  }

  /** The pod's shell script. */
  private static String script(JsonNode pod) {
    JsonNode container = pod.at("/spec/containers/0");
    assertThat(container.path("command").toString()).isEqualTo("[\"sh\",\"-c\"]");
    return container.at("/args/0").asText();
  }

  record Run(int code, String output) {}

  /** Runs the pod's script with sh, its curl reaching {@code suite} for every Service name. */
  private Run run(JsonNode pod, Suite suite) throws IOException, InterruptedException {
    String curl = which("curl");
    StringBuilder connectTo = new StringBuilder();
    for (String service : SERVICES) {
      String port = EngramChart.render().get("Service", service).at("/spec/ports/0/port").asText();
      connectTo
          .append(" --connect-to ")
          .append(service)
          .append(':')
          .append(port)
          .append(":127.0.0.1:")
          .append(suite.port());
    }
    Path wrapper = bin.resolve("curl");
    Files.writeString(wrapper, "#!/bin/sh\nexec " + curl + connectTo + " \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", script(pod)).redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  private static String which(String program) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("sh", "-c", "command -v " + program).start();
    String path = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(program + " is needed on this machine").isZero();
    return path.strip();
  }

  /**
   * The suite as the test pod sees it: every service ready, the pool cold (503, DOWN, with its
   * counts) for the first {@code coldAnswers} questions and warm after.
   */
  static final class Suite implements AutoCloseable {

    final AtomicInteger poolAsked = new AtomicInteger();
    private final HttpServer server;
    private final List<String> paths = new ArrayList<>();

    Suite(int coldAnswers) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/q/health/ready",
          exchange -> answer(exchange, 200, "{\"status\":\"UP\",\"checks\":[]}"));
      server.createContext(
          "/q/health/group/pool",
          exchange -> {
            boolean cold = poolAsked.incrementAndGet() <= coldAnswers;
            answer(
                exchange,
                cold ? 503 : 200,
                "{\"status\":\""
                    + (cold ? "DOWN" : "UP")
                    + "\",\"checks\":[{\"name\":\"warm-pool\",\"data\":{\"warm\":"
                    + (cold ? 0 : 1)
                    + ",\"starting\":2}}]}");
          });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    private void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
        throws IOException {
      synchronized (paths) {
        paths.add(exchange.getRequestURI().getPath());
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
