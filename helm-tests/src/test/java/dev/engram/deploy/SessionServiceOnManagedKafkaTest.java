package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.deploy.EngramChart.Rendered;
import dev.engram.deploy.EngramChart.Workload;
import dev.engram.deploy.Kubelet.Container;
import dev.engram.events.CloudEvent;
import dev.engram.events.EventData;
import dev.engram.events.SessionCreated;
import dev.engram.events.Topics;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.PostgresResource;
import dev.engram.testing.SaslListener;
import dev.engram.testing.TestTokens;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged session-service, started with the environment the chart's {@code managed-kafka}
 * render gives its container (resolved as the kubelet would), against a real SASL_SSL broker: its
 * Kafka readiness check and its outbox producer authenticate with SCRAM-SHA-512 over TLS and trust
 * the private CA; with a wrong password in the Secret, readiness says why. Only what has nothing to
 * do with Kafka differs from the pod: where PostgreSQL is and the HTTP port.
 */
class SessionServiceOnManagedKafkaTest {

  private static final String USER = "engram";
  private static final String PASSWORD = "pw-" + UUID.randomUUID();

  private static EmbeddedKafka kafka;
  private static Map<String, String> database;

  @TempDir Path root;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start(SaslListener.overTls(Map.of(USER, PASSWORD)));
    PostgresResource postgres = new PostgresResource();
    postgres.init(Map.of("database", "engram_session_sasl"));
    database = postgres.start();
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Test
  void sessionServicePublishesItsOutboxOverSaslSsl() throws IOException {
    try (ServiceProcess service = start(PASSWORD)) {
      HttpResponse<String> ready = awaitReadiness(service, 200);
      assertThat(ready.body()).contains("Kafka connection health check");

      String user = "user-" + UUID.randomUUID();
      HttpResponse<String> created =
          service.postJson(
              "/api/v1/sessions", TestTokens.forUser(user), "{\"title\":\"over SASL_SSL\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

      List<CloudEvent<EventData>> events =
          kafka.eventsForUser(
              Topics.SESSIONS, user, read -> !read.isEmpty(), Duration.ofSeconds(60));
      assertThat(events).as(service.log()).hasSize(1);
      assertThat(events.getFirst().data()).isInstanceOf(SessionCreated.class);
    }
  }

  @Test
  void aWrongPasswordTurnsReadinessDownWithTheAuthenticationError() throws IOException {
    try (ServiceProcess service = start("not-" + PASSWORD)) {
      HttpResponse<String> ready = awaitReadiness(service, 503);
      assertThat(ready.body()).contains("Kafka connection health check").contains("Authentication");
    }
  }

  private static HttpResponse<String> awaitReadiness(ServiceProcess service, int status) {
    try {
      return Awaitility.await("readiness " + status)
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> service.get("/q/health/ready", null),
              r -> r != null && r.statusCode() == status);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "readiness never answered " + status + "; log:\n" + service.log(), e);
    }
  }

  private static Rendered rendered;

  private static synchronized Rendered rendered() {
    if (rendered == null) {
      rendered =
          EngramChart.render(
              List.of("managed-kafka"),
              Map.of("kafka.bootstrapServers", kafka.saslBootstrapServers()));
    }
    return rendered;
  }

  /** session-service with its container's environment from the managed-kafka render. */
  private ServiceProcess start(String password) throws IOException {
    Rendered rendered =
        EngramChart.render(
            List.of("managed-kafka"),
            Map.of("kafka.bootstrapServers", kafka.saslBootstrapServers()));
    JsonNode podSpec =
        rendered.workloads().stream()
            .filter(w -> w.name().equals("engram-session-service"))
            .map(Workload::podSpec)
            .findFirst()
            .orElseThrow();
    Map<String, Map<String, String>> secrets =
        Map.of(
            "engram-kafka", Map.of("user", USER, "secret", password),
            "engram-kafka-ca",
                Map.of("ca.crt", kafka.sasl().tls().orElseThrow().caCertificatePem()),
            "engram-jwt", Map.of("public.pem", Files.readString(TestTokens.publicKeyPem())),
            "engram-postgresql", Map.of("password", database.get("quarkus.datasource.password")));
    Container container = Kubelet.start(rendered, podSpec, secrets, root);
    Map<String, String> env = new HashMap<>(container.localEnv());
    // not Kafka: the test's PostgreSQL instead of the chart's
    env.put("QUARKUS_DATASOURCE_REACTIVE_URL", database.get("quarkus.datasource.reactive.url"));
    env.put("QUARKUS_DATASOURCE_JDBC_URL", database.get("quarkus.datasource.jdbc.url"));
    env.put("QUARKUS_DATASOURCE_USERNAME", database.get("quarkus.datasource.username"));
    return ServiceProcess.start("session-service", env, root.resolve("session-service.log"));
  }
}
