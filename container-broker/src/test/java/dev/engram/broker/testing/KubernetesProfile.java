package dev.engram.broker.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The broker on the Kubernetes runtime against the mock API server, with pods built from the pod
 * template the chart renders ({@link ChartPodTemplate}) and owned by its ConfigMap ({@link
 * ChartObjects}, which the test classes install with {@code @WithKubernetesTestServer(crud = true,
 * setup = ChartObjects.class)}), answered by {@link FakeOrchestrator}, a fast controller and
 * upstream services from {@link FakeUpstreams}.
 */
public class KubernetesProfile implements QuarkusTestProfile {

  public static final String NAMESPACE = "test";

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>();
    config.put("engram.broker.runtime", "kubernetes");
    config.put("engram.broker.kubernetes.namespace", NAMESPACE);
    config.put("engram.broker.kubernetes.port", String.valueOf(FakeOrchestrator.shared().port()));
    config.put("engram.broker.kubernetes.identity", "broker-a");
    config.put("engram.broker.kubernetes.pod-template", ChartPodTemplate.file().toString());
    // the chart's names, which its Role grants access to (ApiAudit checks the requests against it)
    config.put("engram.broker.kubernetes.lease-name", ChartObjects.LEASE);
    config.put("engram.broker.kubernetes.owner-config-map", ChartObjects.POD_TEMPLATE);
    config.put("engram.broker.kubernetes.lease-duration", "4s");
    config.put("engram.broker.kubernetes.renew-deadline", "3s");
    config.put("engram.broker.kubernetes.retry-period", "500ms");
    config.put("engram.broker.kubernetes.resync-period", "5s");
    config.put("engram.broker.pool.target-warm", "3");
    config.put("engram.broker.pool.max-total", "400");
    config.put("engram.broker.pool.refill-rate", "200");
    config.put("engram.broker.pool.refill-burst", "20");
    config.put("engram.broker.pool.reconcile-interval", "250ms");
    config.put("engram.broker.pool.heartbeat-interval", "10s");
    config.put("engram.broker.pool.backoff-initial", "1h");
    config.put("engram.broker.pool.backoff-max", "2h");
    config.put("engram.broker.pool.idle-timeout", "30m");
    config.put("engram.broker.pool.orphan-after", "5m");
    config.put("engram.broker.pool.startup-timeout", "3m");
    config.put("engram.broker.gateway.session-service-url", FakeUpstreams.shared().sessionUrl());
    config.put("engram.broker.gateway.memory-service-url", FakeUpstreams.shared().memoryUrl());
    config.put("engram.broker.gateway.rate-limit-capacity", "30");
    config.put("engram.broker.gateway.rate-limit-refill-per-second", "0.5");
    config.put("engram.broker.gateway.dev-tokens", "true");
    config.put("engram.broker.pool.step-timeout", "20s");
    config.put("engram.broker.claim.call-timeout", "10s");
    // no warm-up claims at start-up (ClaimWarmUpTest has them): tests count claims and events
    config.put("engram.broker.claim.warm-up-rounds", "0");
    config.put("quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN");
    config.put("quarkus.log.category.\"dev.engram.broker.controller\".level", "DEBUG");
    return config;
  }
}
