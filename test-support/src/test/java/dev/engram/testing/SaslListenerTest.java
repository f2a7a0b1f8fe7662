package dev.engram.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.events.CloudEvent;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.events.UserErased;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The embedded broker's opt-in SASL listener, over TLS and in plain text. */
class SaslListenerTest {

  private static final String USER = "engram";
  private static final String PASSWORD = "pw-" + UUID.randomUUID();

  private static EmbeddedKafka overTls;
  private static EmbeddedKafka plaintext;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    overTls = EmbeddedKafka.start(SaslListener.overTls(Map.of(USER, PASSWORD, "other", "pw2")));
    plaintext = EmbeddedKafka.start(SaslListener.plaintext(Map.of(USER, PASSWORD)));
  }

  @AfterAll
  static void stop() {
    overTls.close();
    plaintext.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
  void everyMechanismAuthenticatesOverTlsTrustingTheGeneratedCa(String mechanism) throws Exception {
    Map<String, Object> client = tlsClient(mechanism, PASSWORD);
    assertThat(roundTrip(client)).isTrue();
  }

  @Test
  void saslPlaintextAuthenticatesWithScram() throws Exception {
    Map<String, Object> client = new HashMap<>();
    client.put("bootstrap.servers", plaintext.saslBootstrapServers());
    client.put("security.protocol", "SASL_PLAINTEXT");
    client.put("sasl.mechanism", "SCRAM-SHA-512");
    client.put("sasl.jaas.config", SaslListener.jaasConfig("SCRAM-SHA-512", USER, PASSWORD));
    assertThat(roundTrip(client)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "SCRAM-SHA-512"})
  void aWrongPasswordIsAnAuthenticationError(String mechanism) throws Exception {
    Map<String, Object> client = tlsClient(mechanism, "not-" + PASSWORD);
    client.put("max.block.ms", "60000");
    try (var producer = producer(client)) {
      assertThatThrownBy(
              () -> producer.send(new ProducerRecord<>("engram.sessions", "k", "v")).get())
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsRefused() throws Exception {
    Map<String, Object> client = tlsClient("PLAIN", PASSWORD);
    client.remove("ssl.truststore.type");
    client.remove("ssl.truststore.location");
    client.put("max.block.ms", "60000");
    try (var producer = producer(client)) {
      assertThatThrownBy(
              () -> producer.send(new ProducerRecord<>("engram.sessions", "k", "v")).get())
          .hasCauseInstanceOf(SslAuthenticationException.class);
    }
  }

  @Test
  void theDefaultListenerStaysPlaintextWithoutCredentials() {
    assertThat(overTls.bootstrapServers()).isNotEqualTo(overTls.saslBootstrapServers());
    var event =
        CloudEvent.of(
            Sources.SESSION_SERVICE,
            "user-" + UUID.randomUUID(),
            new UserErased(Instant.now(), 1, 2));
    overTls.publish(event);
    assertThat(
            overTls.eventsForUser(
                Topics.SESSIONS, event.key(), read -> !read.isEmpty(), Duration.ofSeconds(30)))
        .hasSize(1);
  }

  private Map<String, Object> tlsClient(String mechanism, String password) throws Exception {
    Path ca = dir.resolve("ca.crt");
    Files.writeString(ca, overTls.sasl().tls().orElseThrow().caCertificatePem());
    Map<String, Object> client = new HashMap<>();
    client.put("bootstrap.servers", overTls.saslBootstrapServers());
    client.put("security.protocol", "SASL_SSL");
    client.put("sasl.mechanism", mechanism);
    client.put("sasl.jaas.config", SaslListener.jaasConfig(mechanism, USER, password));
    client.put("ssl.truststore.type", "PEM");
    client.put("ssl.truststore.location", ca.toString());
    return client;
  }

  /** Produces one record to a fresh topic and reads it back with the same settings. */
  private static boolean roundTrip(Map<String, Object> client) throws Exception {
    String topic = "sasl-" + UUID.randomUUID();
    String value = UUID.randomUUID().toString();
    try (var producer = producer(client)) {
      producer.send(new ProducerRecord<>(topic, "key", value)).get();
    }
    Map<String, Object> settings = new HashMap<>(client);
    settings.put("group.id", "test-" + UUID.randomUUID());
    settings.put("auto.offset.reset", "earliest");
    try (var consumer =
        new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (value.equals(record.value())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> client) {
    return new KafkaProducer<>(client, new StringSerializer(), new StringSerializer());
  }
}
