package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.deploy.EngramChart.Rendered;
import dev.engram.deploy.EngramChart.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How every Kafka client of the suite reaches a Kafka that wants SASL and TLS. */
class KafkaSecurityTest {

  private static final List<String> SERVICES =
      List.of("session-service", "memory-service", "container-broker", "orchestrator-service");

  @Test
  void everyServiceAuthenticatesWithSaslOverTlsTrustingTheGivenCa() {
    Rendered rendered = EngramChart.render("managed-kafka");
    for (String service : SERVICES) {
      JsonNode config = ConfigTest.config(rendered, service);
      assertThat(config.path("KAFKA_SECURITY_PROTOCOL").asText()).as(service).isEqualTo("SASL_SSL");
      assertThat(config.path("KAFKA_SASL_MECHANISM").asText())
          .as(service)
          .isEqualTo("SCRAM-SHA-512");
      assertThat(config.path("KAFKA_SSL_TRUSTSTORE_TYPE").asText()).as(service).isEqualTo("PEM");
      assertThat(config.path("KAFKA_SSL_TRUSTSTORE_LOCATION").asText())
          .as(service)
          .isEqualTo("/etc/engram/kafka-tls/ca.crt");
    }
    List<Workload> pods = new ArrayList<>();
    for (Workload w : rendered.workloads()) {
      if (SERVICES.stream().anyMatch(s -> w.name().endsWith(s))
          || w.name().equals("orchestrator pod template")) {
        pods.add(w);
      }
    }
    assertThat(pods).hasSize(4);
    for (Workload pod : pods) {
      JsonNode container = pod.podSpec().at("/containers/0");
      List<String> names = new ArrayList<>();
      container.path("env").forEach(e -> names.add(e.path("name").asText()));
      JsonNode user = env(container, "ENGRAM_KAFKA_SASL_USERNAME");
      assertThat(user.at("/valueFrom/secretKeyRef/name").asText())
          .as(pod.name())
          .isEqualTo("engram-kafka");
      assertThat(user.at("/valueFrom/secretKeyRef/key").asText()).as(pod.name()).isEqualTo("user");
      JsonNode password = env(container, "ENGRAM_KAFKA_SASL_PASSWORD");
      assertThat(password.at("/valueFrom/secretKeyRef/key").asText())
          .as(pod.name())
          .isEqualTo("secret");
      assertThat(env(container, "KAFKA_SASL_JAAS_CONFIG").path("value").asText())
          .as(pod.name())
          .isEqualTo(
              "org.apache.kafka.common.security.scram.ScramLoginModule required"
                  + " username=\"$(ENGRAM_KAFKA_SASL_USERNAME)\""
                  + " password=\"$(ENGRAM_KAFKA_SASL_PASSWORD)\";");
      // the kubelet substitutes only variables defined before the one that refers to them
      assertThat(names.indexOf("KAFKA_SASL_JAAS_CONFIG"))
          .as(pod.name())
          .isGreaterThan(names.indexOf("ENGRAM_KAFKA_SASL_USERNAME"))
          .isGreaterThan(names.indexOf("ENGRAM_KAFKA_SASL_PASSWORD"));
      assertThat(mount(container, "kafka-tls").path("mountPath").asText())
          .isEqualTo("/etc/engram/kafka-tls");
      assertThat(mount(container, "kafka-tls").path("readOnly").asBoolean()).isTrue();
      JsonNode volume = named(pod.podSpec().path("volumes"), "kafka-tls");
      assertThat(volume.at("/secret/secretName").asText()).isEqualTo("engram-kafka-ca");
      assertThat(volume.at("/secret/items/0/key").asText()).isEqualTo("ca.crt");
    }
  }

  @Test
  void plainSaslNamesThePlainLoginModule() {
    Rendered rendered =
        EngramChart.render(
            List.of("managed-kafka"),
            Map.of("kafka.sasl.mechanism", "PLAIN", "kafka.tls.caSecret", ""));
    JsonNode container =
        rendered.get("Deployment", "engram-session-service").at("/spec/template/spec/containers/0");
    assertThat(env(container, "KAFKA_SASL_JAAS_CONFIG").path("value").asText())
        .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required ");
    assertThat(ConfigTest.config(rendered, "session-service").has("KAFKA_SSL_TRUSTSTORE_LOCATION"))
        .isFalse();
    assertThat(container.path("volumeMounts").toString()).doesNotContain("kafka-tls");
  }

  @Test
  void byDefaultTheClientsSpeakPlaintextWithNoCredentials() {
    Rendered rendered = EngramChart.render();
    for (String service : SERVICES) {
      JsonNode config = ConfigTest.config(rendered, service);
      assertThat(config.has("KAFKA_SECURITY_PROTOCOL")).as(service).isFalse();
      assertThat(config.has("KAFKA_SASL_MECHANISM")).as(service).isFalse();
    }
    assertThat(rendered.text())
        .doesNotContain("KAFKA_SASL_JAAS_CONFIG")
        .doesNotContain("kafka-tls");
  }

  @Test
  void settingsThatCannotWorkAreRefusedAtInstall() {
    assertThatThrownBy(
            () -> EngramChart.render(List.of(), Map.of("kafka.securityProtocol", "SASL_SSL")))
        .hasMessageContaining("kafka.sasl.existingSecret");
    assertThatThrownBy(
            () ->
                EngramChart.render(List.of("in-cluster"), Map.of("kafka.securityProtocol", "SSL")))
        .hasMessageContaining("PLAINTEXT only");
    assertThatThrownBy(
            () -> EngramChart.render(List.of(), Map.of("kafka.tls.caSecret", "engram-kafka-ca")))
        .hasMessageContaining("SSL or SASL_SSL");
    assertThatThrownBy(() -> EngramChart.render(List.of(), Map.of("kafka.securityProtocol", "TLS")))
        .hasMessageContaining("securityProtocol");
    assertThatThrownBy(
            () ->
                EngramChart.render(
                    List.of("managed-kafka"), Map.of("kafka.sasl.mechanism", "GSSAPI")))
        .hasMessageContaining("mechanism");
  }

  private static JsonNode env(JsonNode container, String name) {
    return named(container.path("env"), name);
  }

  private static JsonNode mount(JsonNode container, String name) {
    return named(container.path("volumeMounts"), name);
  }

  private static JsonNode named(JsonNode list, String name) {
    for (JsonNode item : list) {
      if (name.equals(item.path("name").asText())) {
        return item;
      }
    }
    throw new AssertionError("no " + name + " in " + list);
  }
}
