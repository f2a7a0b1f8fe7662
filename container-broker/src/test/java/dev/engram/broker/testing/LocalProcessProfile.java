package dev.engram.broker.testing;

import dev.engram.testing.ReservedPorts;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The broker on the local-process runtime, starting the real orchestrator jar the reactor built
 * (system property {@code engram.orchestrator.jar}, set by this module's surefire configuration).
 * The instances get the test JVM's Kafka, Redis and verification key, and {@link FakeServices} as
 * session-service and memory-service; the gateway's own routes to those services go to {@link
 * FakeUpstreams}. Development tokens stay off (their default).
 */
public class LocalProcessProfile implements QuarkusTestProfile {

  private static final String FAKE_SERVICES_PORT = "engram.test.fake-services-port";

  /** The orchestrator's {@code quarkus-run.jar}. */
  public static String orchestratorJar() {
    return System.getProperty(
        "engram.orchestrator.jar", "../orchestrator-service/target/quarkus-app/quarkus-run.jar");
  }

  /**
   * The port {@link FakeServices} listens on: chosen once per JVM (a system property, as the
   * profile and the test may live in different class loaders); the test starts the server on it.
   */
  public static synchronized int fakeServicesPort() {
    String chosen = System.getProperty(FAKE_SERVICES_PORT);
    if (chosen == null) {
      // not an ephemeral port: the instances started meanwhile open listeners and connections
      // on ephemeral ports, and one of them may take this one before the test listens on it
      chosen = String.valueOf(ReservedPorts.freeOutsideEphemeralRange());
      System.setProperty(FAKE_SERVICES_PORT, chosen);
    }
    return Integer.parseInt(chosen);
  }

  private static String fakeServicesUrl() {
    return "http://127.0.0.1:" + fakeServicesPort();
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>();
    config.put("engram.broker.runtime", "local-process");
    config.put("engram.broker.local.jar", orchestratorJar());
    config.put("engram.broker.local.base-port", "0");
    config.put(
        "engram.broker.local.jvm-options",
        "-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    String env = "engram.broker.local.env.";
    config.put(env + "KAFKA_BOOTSTRAP_SERVERS", "${kafka.bootstrap.servers}");
    config.put(env + "ENGRAM_REDIS_URL", "${quarkus.redis.hosts}");
    config.put(env + "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "${mp.jwt.verify.publickey.location}");
    config.put(env + "MP_JWT_VERIFY_ISSUER", "${mp.jwt.verify.issuer}");
    config.put(env + "ENGRAM_SESSION_URL", fakeServicesUrl());
    config.put(env + "ENGRAM_MEMORY_URL", fakeServicesUrl());
    config.put(env + "QUARKUS_OTEL_SDK_DISABLED", "true");
    config.put("engram.broker.pool.target-warm", "1");
    config.put("engram.broker.pool.max-total", "4");
    config.put("engram.broker.pool.reconcile-interval", "250ms");
    config.put("engram.broker.pool.heartbeat-interval", "1s");
    config.put("engram.broker.pool.idle-timeout", "10m");
    config.put("engram.broker.pool.orphan-after", "24h");
    config.put("engram.broker.pool.startup-timeout", "150s");
    config.put("engram.broker.pool.backoff-initial", "1s");
    config.put("engram.broker.claim.timeout", "150s");
    // a JVM that just became ready answers its first calls slowly on a busy machine
    config.put("engram.broker.claim.call-timeout", "30s");
    // no warm-up claims at start-up (ClaimWarmUpTest has them): tests count claims and events
    config.put("engram.broker.claim.warm-up-rounds", "0");
    config.put("engram.broker.gateway.session-service-url", FakeUpstreams.shared().sessionUrl());
    config.put("engram.broker.gateway.memory-service-url", FakeUpstreams.shared().memoryUrl());
    return config;
  }
}
