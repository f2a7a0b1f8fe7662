package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.deploy.EngramChart.Rendered;
import dev.engram.deploy.EngramChart.Workload;
import dev.engram.deploy.Kubelet.Container;
import dev.engram.events.Topics;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.SaslListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka settings the chart renders for a managed Kafka (scenario {@code managed-kafka}: SASL
 * SCRAM-SHA-512 over TLS with a private CA), taken as a pod gets them and as Quarkus maps them,
 * against a real broker that wants exactly that: every service's clients produce and consume, and a
 * wrong password in the Secret is an authentication error.
 */
class ManagedKafkaConnectionTest {

  private static final String USER = "engram";
  private static final String PASSWORD = "pw-" + UUID.randomUUID();

  /** A user whose password has the punctuation generated passwords have (see docs/operations). */
  private static final String PUNCTUATED_USER = "punctuated";

  private static final String PUNCTUATED_PASSWORD = "p@ss,w=rd;$1%x!&'y:z/" + UUID.randomUUID();

  /** The containers that talk to Kafka, and the module whose application.properties they run. */
  private static final Map<String, String> SERVICES =
      Map.of(
          "engram-session-service", "session-service",
          "engram-memory-service", "memory-service",
          "engram-container-broker", "container-broker",
          "orchestrator pod template", "orchestrator-service");

  private static EmbeddedKafka kafka;

  @TempDir Path root;

  @BeforeAll
  static void startBroker() {
    kafka =
        EmbeddedKafka.start(
            SaslListener.overTls(Map.of(USER, PASSWORD, PUNCTUATED_USER, PUNCTUATED_PASSWORD)));
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void everyServiceProducesAndConsumesWithWhatTheChartGivesIt() {
    Rendered rendered = render(Map.of());
    for (var service : SERVICES.entrySet()) {
      Container container = container(rendered, service.getKey(), PASSWORD);
      Map<String, Object> settings =
          QuarkusKafkaSettings.of(
              container.env(), QuarkusKafkaSettings.applicationProperties(service.getValue()));

      assertThat(settings)
          .as(service.getKey())
          .containsEntry("bootstrap.servers", kafka.saslBootstrapServers())
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry(
              "sasl.jaas.config", SaslListener.jaasConfig("SCRAM-SHA-512", USER, PASSWORD))
          .containsEntry("ssl.truststore.type", "PEM")
          .containsEntry("ssl.truststore.location", "/etc/engram/kafka-tls/ca.crt");
      assertThat(roundTrip(inContainer(settings, container))).as(service.getKey()).isTrue();
    }
  }

  @Test
  void plainSaslOverTheSameTlsListenerWorksToo() {
    Rendered rendered = render(Map.of("kafka.sasl.mechanism", "PLAIN"));
    Container container = container(rendered, "engram-session-service", PASSWORD);
    Map<String, Object> settings =
        QuarkusKafkaSettings.of(
            container.env(), QuarkusKafkaSettings.applicationProperties("session-service"));
    assertThat(settings)
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("sasl.jaas.config", SaslListener.jaasConfig("PLAIN", USER, PASSWORD));
    assertThat(roundTrip(inContainer(settings, container))).isTrue();
  }

  @Test
  void saslPlaintextWithoutACaWorksToo() {
    try (EmbeddedKafka plaintext =
        EmbeddedKafka.start(SaslListener.plaintext(Map.of(USER, PASSWORD)))) {
      Rendered rendered =
          EngramChart.render(
              List.of("managed-kafka"),
              Map.of(
                  "kafka.bootstrapServers", plaintext.saslBootstrapServers(),
                  "kafka.securityProtocol", "SASL_PLAINTEXT",
                  "kafka.tls.caSecret", ""));
      Container container = container(rendered, "orchestrator pod template", PASSWORD);
      Map<String, Object> settings =
          QuarkusKafkaSettings.of(
              container.env(), QuarkusKafkaSettings.applicationProperties("orchestrator-service"));
      assertThat(settings)
          .containsEntry("security.protocol", "SASL_PLAINTEXT")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .doesNotContainKey("ssl.truststore.location");
      assertThat(roundTrip(settings)).isTrue();
    }
  }

  @Test
  void aPasswordWithPunctuationReachesTheBrokerUnchanged() {
    Rendered rendered = render(Map.of());
    Container container =
        container(rendered, "engram-memory-service", PUNCTUATED_USER, PUNCTUATED_PASSWORD);
    Map<String, Object> settings =
        QuarkusKafkaSettings.of(
            container.env(), QuarkusKafkaSettings.applicationProperties("memory-service"));
    assertThat(settings)
        .containsEntry(
            "sasl.jaas.config",
            SaslListener.jaasConfig("SCRAM-SHA-512", PUNCTUATED_USER, PUNCTUATED_PASSWORD));
    assertThat(roundTrip(inContainer(settings, container))).isTrue();
  }

  @Test
  void aWrongPasswordInTheSecretIsAnAuthenticationErrorNotAHang() {
    Rendered rendered = render(Map.of());
    Container container = container(rendered, "engram-session-service", "not-" + PASSWORD);
    Map<String, Object> settings =
        inContainer(
            QuarkusKafkaSettings.of(
                container.env(), QuarkusKafkaSettings.applicationProperties("session-service")),
            container);
    // a timeout would surface as a TimeoutException after a minute, not as this
    settings.put("max.block.ms", "60000");
    try (var producer =
        new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.SESSIONS, "k", "v")).get())
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  private static final Map<Map<String, Object>, Rendered> RENDERS = new HashMap<>();

  /** The managed-kafka scenario pointed at the test broker's SASL listener (once per values). */
  private static synchronized Rendered render(Map<String, Object> sets) {
    return RENDERS.computeIfAbsent(
        sets,
        s -> {
          Map<String, Object> values = new HashMap<>(s);
          values.put("kafka.bootstrapServers", kafka.saslBootstrapServers());
          return EngramChart.render(List.of("managed-kafka"), values);
        });
  }

  /** The container of a workload, with the scenario's Secrets holding these credentials. */
  private Container container(Rendered rendered, String workload, String password) {
    return container(rendered, workload, USER, password);
  }

  private Container container(Rendered rendered, String workload, String user, String password) {
    JsonNode podSpec =
        rendered.workloads().stream()
            .filter(w -> w.name().equals(workload))
            .map(Workload::podSpec)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no workload " + workload));
    Map<String, Map<String, String>> secrets =
        Map.of(
            "engram-kafka", Map.of("user", user, "secret", password),
            "engram-kafka-ca",
                Map.of("ca.crt", kafka.sasl().tls().orElseThrow().caCertificatePem()),
            "engram-postgresql", Map.of("password", "unused"),
            "engram-redis", Map.of("password", "unused"));
    return Kubelet.start(rendered, podSpec, secrets, root.resolve(workload.replace(' ', '-')));
  }

  /**
   * The settings with the trust store read where the container has it mounted (under the test's
   * stand-in root, as this JVM is not in the pod).
   */
  private static Map<String, Object> inContainer(Map<String, Object> settings, Container c) {
    Map<String, Object> local = new HashMap<>(settings);
    String location = settings.get("ssl.truststore.location").toString();
    local.put("ssl.truststore.location", c.file(location).toString());
    return local;
  }

  /** Produces one record to the sessions topic and reads it back with the same settings. */
  private static boolean roundTrip(Map<String, Object> settings) {
    String key = "user-" + UUID.randomUUID();
    try (var producer =
        new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(Topics.SESSIONS, key, "hello")).get();
    } catch (Exception e) {
      throw new AssertionError("cannot produce with " + redacted(settings), e);
    }
    Map<String, Object> consumerSettings = new HashMap<>(settings);
    consumerSettings.put("group.id", "test-" + UUID.randomUUID());
    consumerSettings.put("auto.offset.reset", "earliest");
    try (var consumer =
        new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.SESSIONS));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(record.key())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static Map<String, Object> redacted(Map<String, Object> settings) {
    Map<String, Object> copy = new HashMap<>(settings);
    copy.computeIfPresent("sasl.jaas.config", (k, v) -> "(redacted)");
    return copy;
  }
}
