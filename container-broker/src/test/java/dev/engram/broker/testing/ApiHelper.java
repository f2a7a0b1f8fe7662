package dev.engram.broker.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * A client of the mock API server for what the tests do in Kubernetes' or an operator's place (the
 * kubelet's status updates, deleting and re-creating the chart's objects): its requests carry
 * {@link #USER_AGENT}, so {@link ApiAudit} tells them apart from the broker's own.
 */
public final class ApiHelper {

  public static final String USER_AGENT = "engram-test-helper";

  private ApiHelper() {}

  /** A new client of the server {@code client} talks to; close it when done. */
  public static KubernetesClient of(KubernetesClient client) {
    return of(client.getConfiguration());
  }

  static KubernetesClient of(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(config).withUserAgent(USER_AGENT).build())
        .build();
  }
}
