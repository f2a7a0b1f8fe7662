package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.deploy.EngramChart.Rendered;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the services are told through their ConfigMaps (Quarkus environment variable names). */
class ConfigTest {

  static JsonNode config(Rendered rendered, String component) {
    return rendered.get("ConfigMap", "engram-" + component).path("data");
  }

  @Test
  void servicesFindTheExternalInfrastructureByDefault() {
    Rendered rendered = EngramChart.render();
    JsonNode session = config(rendered, "session-service");
    assertThat(session.path("QUARKUS_DATASOURCE_REACTIVE_URL").asText())
        .isEqualTo("postgresql://postgresql:5432/engram_session");
    assertThat(session.path("QUARKUS_DATASOURCE_USERNAME").asText()).isEqualTo("engram");
    assertThat(session.path("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
    assertThat(session.path("MP_JWT_VERIFY_ISSUER").asText()).isEqualTo("engram");
    assertThat(session.path("MP_JWT_VERIFY_PUBLICKEY_LOCATION").asText())
        .isEqualTo("/etc/engram/jwt/public.pem");
    JsonNode memory = config(rendered, "memory-service");
    assertThat(memory.path("QUARKUS_DATASOURCE_REACTIVE_URL").asText())
        .isEqualTo("postgresql://postgresql:5432/engram_memory");
    assertThat(memory.path("QUARKUS_REDIS_HOSTS").asText()).isEqualTo("redis://redis:6379");
  }

  @Test
  void inClusterInfrastructureIsWiredToTheReleaseServices() {
    Rendered rendered = EngramChart.render("in-cluster");
    JsonNode memory = config(rendered, "memory-service");
    assertThat(memory.path("QUARKUS_DATASOURCE_REACTIVE_URL").asText())
        .isEqualTo("postgresql://engram-postgresql:5432/engram_memory");
    assertThat(memory.path("QUARKUS_REDIS_HOSTS").asText()).isEqualTo("redis://engram-redis:6379");
    assertThat(memory.path("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("engram-kafka:9092");
    for (String infra : List.of("postgresql", "redis", "kafka")) {
      JsonNode sts = rendered.get("StatefulSet", "engram-" + infra);
      assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(1);
      assertThat(sts.at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage").asText())
          .isNotBlank();
      assertThat(rendered.get("Service", "engram-" + infra).at("/spec/clusterIP").asText())
          .isEqualTo("None");
    }
    assertThat(
            rendered
                .get("ConfigMap", "engram-postgresql-init")
                .at("/data/01-databases.sql")
                .asText())
        .contains("CREATE DATABASE engram_session OWNER engram;")
        .contains("CREATE DATABASE engram_memory OWNER engram;");
    assertThat(rendered.get("ConfigMap", "engram-kafka").at("/data/server.properties").asText())
        .contains("process.roles=broker,controller")
        .contains("advertised.listeners=PLAINTEXT://engram-kafka:9092");
  }

  @Test
  void theBrokerGetsThePoolSettingsAndTheOrchestratorPodTemplate() {
    Rendered rendered =
        EngramChart.render(
            List.of(),
            Map.of(
                "orchestrator.pool.warm", 5,
                "orchestrator.pool.max", 80,
                "orchestrator.pool.idleTimeout", "15m",
                "orchestrator.pool.maxLifetime", "6h",
                "orchestrator.resources.limits.memory", "300Mi"));
    JsonNode broker = config(rendered, "container-broker");
    assertThat(broker.path("ENGRAM_BROKER_POOL_TARGET_WARM").asText()).isEqualTo("5");
    assertThat(broker.path("ENGRAM_BROKER_POOL_MAX_TOTAL").asText()).isEqualTo("80");
    assertThat(broker.path("ENGRAM_BROKER_POOL_IDLE_TIMEOUT").asText()).isEqualTo("15m");
    assertThat(broker.path("ENGRAM_BROKER_POOL_MAX_LIFETIME").asText()).isEqualTo("6h");
    assertThat(broker.path("ENGRAM_BROKER_KUBERNETES_NAMESPACE").asText()).isEqualTo("engram");
    assertThat(broker.path("ENGRAM_BROKER_KUBERNETES_IMAGE").asText())
        .isEqualTo("ghcr.io/engram/orchestrator-service:0.1.0");
    assertThat(broker.path("ENGRAM_BROKER_GATEWAY_SESSION_SERVICE_URL").asText())
        .isEqualTo("http://engram-session-service:8081");
    assertThat(broker.path("ENGRAM_BROKER_KUBERNETES_RESOURCES_LIMITS_MEMORY").asText())
        .isEqualTo("300Mi");
    assertThat(broker.path("ENGRAM_BROKER_KUBERNETES_PORT").asText()).isEqualTo("8090");
    assertThat(broker.path("ENGRAM_BROKER_KUBERNETES_ENV_CONFIG_MAP").asText())
        .isEqualTo("engram-orchestrator-service");
    assertThat(broker.path("ENGRAM_BROKER_KUBERNETES_SERVICE_ACCOUNT").asText())
        .isEqualTo("engram-orchestrator-service");
    assertThat(broker.path("ENGRAM_BROKER_KUBERNETES_RUN_AS_USER").asText()).isEqualTo("185");
    assertThat(broker.path("SMALLRYE_JWT_SIGN_KEY_LOCATION").asText())
        .isEqualTo("/etc/engram/jwt/private.pem");

    JsonNode pod = rendered.orchestratorPod();
    assertThat(pod.at("/spec/containers/0/image").asText())
        .isEqualTo(broker.path("ENGRAM_BROKER_KUBERNETES_IMAGE").asText());
    assertThat(pod.at("/spec/containers/0/resources/limits/memory").asText()).isEqualTo("300Mi");
    assertThat(pod.at("/spec/containers/0/envFrom/0/configMapRef/name").asText())
        .isEqualTo("engram-orchestrator-service");
    assertThat(pod.at("/spec/serviceAccountName").asText())
        .isEqualTo("engram-orchestrator-service");
    // The broker reads the template from the file its ConfigMap key points at.
    JsonNode deployment = rendered.get("Deployment", "engram-container-broker");
    assertThat(deployment.at("/spec/template/spec/containers/0/volumeMounts").toString())
        .contains("\"mountPath\":\"/etc/engram/broker\"");
    assertThat(broker.path("ENGRAM_BROKER_KUBERNETES_POD_TEMPLATE").asText())
        .isEqualTo("/etc/engram/broker/orchestrator-pod.yaml");
  }

  @Test
  void userSuppliedEnvironmentReachesTheServiceAndRestartsIt() {
    Rendered before = EngramChart.render();
    Rendered after =
        EngramChart.render(
            List.of(), Map.of("memoryService.env.ENGRAM_MEMORY_DECAY_HALF_LIFE", "P14D"));
    assertThat(config(after, "memory-service").path("ENGRAM_MEMORY_DECAY_HALF_LIFE").asText())
        .isEqualTo("P14D");
    String checksum = "/spec/template/metadata/annotations/checksum~1config";
    assertThat(after.get("Deployment", "engram-memory-service").at(checksum))
        .isNotEqualTo(before.get("Deployment", "engram-memory-service").at(checksum));
    assertThat(after.get("Deployment", "engram-session-service").at(checksum))
        .isEqualTo(before.get("Deployment", "engram-session-service").at(checksum));
  }

  @Test
  void theOrchestratorTalksToTheServicesAndItsProvider() {
    JsonNode orchestrator = config(EngramChart.render("existing-secrets"), "orchestrator-service");
    assertThat(orchestrator.path("ENGRAM_ORCHESTRATOR_SERVICES_SESSION_URL").asText())
        .isEqualTo("http://engram-session-service:8081");
    assertThat(orchestrator.path("ENGRAM_ORCHESTRATOR_SERVICES_MEMORY_URL").asText())
        .isEqualTo("http://engram-memory-service:8082");
    assertThat(orchestrator.path("ENGRAM_ORCHESTRATOR_PROVIDER_BASE_URL").asText())
        .isEqualTo("https://llm.example.com/v1");
    assertThat(orchestrator.path("QUARKUS_OTEL_SDK_DISABLED").asText()).isEqualTo("false");
    assertThat(orchestrator.path("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText())
        .isEqualTo("http://otel-collector.observability:4317");
    // the orchestrator names its traces endpoint itself: the chart's value must override it
    assertThat(orchestrator.path("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").asText())
        .isEqualTo("http://otel-collector.observability:4317");
  }

  @Test
  void tracingTurnsOnEveryServicesExport() {
    Rendered traced = EngramChart.render("existing-secrets");
    for (String service :
        List.of("session-service", "memory-service", "container-broker", "orchestrator-service")) {
      JsonNode config = config(traced, service);
      assertThat(config.path("QUARKUS_OTEL_SDK_DISABLED").asText()).as(service).isEqualTo("false");
      assertThat(config.path("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").asText())
          .as(service)
          .isEqualTo("http://otel-collector.observability:4317");
    }
    assertThat(config(traced, "session-service").path("ENGRAM_SESSION_TRACING_EXPORT").asText())
        .isEqualTo("true");
    assertThat(config(EngramChart.render(), "session-service").has("ENGRAM_SESSION_TRACING_EXPORT"))
        .isFalse();
  }

  @Test
  void theGatewayCanBeExposedThroughAnIngress() {
    Rendered rendered = EngramChart.render("ingress");
    JsonNode ingress = rendered.get("Ingress", "engram-container-broker");
    assertThat(ingress.at("/spec/ingressClassName").asText()).isEqualTo("nginx");
    assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("engram-tls");
    assertThat(ingress.at("/spec/rules/0/host").asText()).isEqualTo("engram.test.example");
    assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText())
        .isEqualTo("engram-container-broker");
    assertThat(EngramChart.render().all("Ingress")).isEmpty();
  }

  @Test
  void prometheusOperatorScrapesEveryServiceAndTheUserPodsWhenAskedTo() {
    Rendered rendered =
        EngramChart.render(List.of(), Map.of("metrics.serviceMonitor.enabled", true));
    assertThat(rendered.all("ServiceMonitor"))
        .extracting(m -> m.at("/spec/endpoints/0/path").asText())
        .containsExactly("/q/metrics", "/q/metrics", "/q/metrics");
    assertThat(
            rendered
                .get("PodMonitor", "engram-orchestrator-service")
                .at("/spec/selector/matchLabels/engram.dev~1pool")
                .asText())
        .isEqualTo("engram");
    assertThat(EngramChart.render().all("ServiceMonitor")).isEmpty();
  }

  /**
   * The broker's container gets the heap its local run gets from container-broker/jvm.options
   * (added because G1 collected every few seconds under claims with a 64 MiB start heap), after the
   * global javaOpts, and memory to hold it: the request at least the initial heap and 192 MiB of
   * metaspace, code cache and threads, the limit the heap's maximum and 256 MiB.
   */
  @Test
  void theBrokersJvmGetsTheHeapOfItsJvmOptionsAndMemoryToHoldIt() throws Exception {
    Rendered rendered = EngramChart.render();
    String javaOpts = config(rendered, "container-broker").path("JAVA_OPTS_APPEND").asText();
    List<String> options = List.of(javaOpts.split("\\s+"));
    String local =
        Files.readString(EngramChart.dir().resolve("../../container-broker/jvm.options")).strip();
    assertThat(options).containsAll(List.of(local.split("\\s+")));
    // after the options every service gets, so that they win
    assertThat(javaOpts).startsWith("-XX:MaxRAMPercentage=75 ");
    // the other services get the global options only
    assertThat(config(rendered, "session-service").path("JAVA_OPTS_APPEND").asText())
        .isEqualTo("-XX:MaxRAMPercentage=75 -Dvertx.cacheDirBase=/tmp/vertx-cache");

    JsonNode resources =
        rendered
            .get("Deployment", "engram-container-broker")
            .at("/spec/template/spec/containers/0/resources");
    long initialHeap = mebibytes(option(options, "-Xms"));
    long maxHeap = mebibytes(option(options, "-Xmx"));
    assertThat(mebibytes(resources.at("/requests/memory").asText()))
        .isGreaterThanOrEqualTo(initialHeap + 192);
    assertThat(mebibytes(resources.at("/limits/memory").asText()))
        .isGreaterThanOrEqualTo(maxHeap + 256);

    // and they are a value of their own
    String custom =
        config(
                EngramChart.render(List.of(), Map.of("containerBroker.javaOpts", "-Xmx1g")),
                "container-broker")
            .path("JAVA_OPTS_APPEND")
            .asText();
    assertThat(custom).endsWith(" -Xmx1g").doesNotContain("-Xms256m");
  }

  /**
   * memory-service's heap is half its container's memory, not the three quarters the other services
   * get: the ONNX runtime's model, arenas and tokenizer live outside the heap. The last
   * MaxRAMPercentage on the command line is the one the JVM takes.
   */
  @Test
  void memoryServiceLeavesHalfItsMemoryOutsideTheHeapForTheModel() {
    Rendered rendered = EngramChart.render();
    List<String> options =
        List.of(config(rendered, "memory-service").path("JAVA_OPTS_APPEND").asText().split("\\s+"));
    assertThat(option(options, "-XX:MaxRAMPercentage=")).isEqualTo("50");
    long limit =
        mebibytes(
            rendered
                .get("Deployment", "engram-memory-service")
                .at("/spec/template/spec/containers/0/resources/limits/memory")
                .asText());
    assertThat(limit / 2).as("heap at most, MiB").isGreaterThanOrEqualTo(384);
  }

  private static String option(List<String> options, String prefix) {
    return options.stream()
        .filter(o -> o.startsWith(prefix))
        .reduce((first, last) -> last)
        .map(o -> o.substring(prefix.length()))
        .orElseThrow(() -> new AssertionError("no " + prefix + " in " + options));
  }

  /** A JVM size (256m, 1g) or a Kubernetes quantity (512Mi, 1Gi) in MiB. */
  private static long mebibytes(String size) {
    Matcher m = Pattern.compile("(\\d+)([a-zA-Z]*)").matcher(size);
    assertThat(m.matches()).as(size).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m", "M", "Mi" -> n;
      case "g", "G", "Gi" -> n * 1024;
      case "k", "K", "Ki" -> n / 1024;
      default -> throw new AssertionError("unexpected unit in " + size);
    };
  }
}
