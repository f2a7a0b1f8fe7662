package dev.engram.broker.testing;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.function.Consumer;

/**
 * What the chart installs before the broker starts, on the mock API server: the orchestrator pod
 * template's ConfigMap, which owns every pod ({@code engram.broker.kubernetes.owner-config-map}).
 * Used as {@code @WithKubernetesTestServer(crud = true, setup = ChartObjects.class)}.
 */
public class ChartObjects implements Consumer<KubernetesServer> {

  /** The chart's pod template ConfigMap, the pods' owner. */
  public static final String POD_TEMPLATE = "engram-orchestrator-service-pod-template";

  /** The chart's Lease of the broker's leader election. */
  public static final String LEASE = "engram-pool-controller";

  @Override
  public void accept(KubernetesServer server) {
    try (KubernetesClient helper = ApiHelper.of(server.getClient())) {
      createPodTemplate(helper);
    }
  }

  /** Creates the pod template ConfigMap in the tests' namespace, as an install does. */
  public static ConfigMap createPodTemplate(KubernetesClient helper) {
    return helper
        .configMaps()
        .inNamespace(KubernetesProfile.NAMESPACE)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(POD_TEMPLATE)
                .withNamespace(KubernetesProfile.NAMESPACE)
                .addToLabels("app.kubernetes.io/component", "orchestrator-service")
                .endMetadata()
                .addToData("orchestrator-pod.yaml", ChartPodTemplate.manifest())
                .build())
        .create();
  }
}
