package dev.engram.deploy;

import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * A Fabric8 mock API server in CRUD mode that Helm's {@code lookup} talks to (through the
 * kubeconfig the surefire configuration points KUBECONFIG at), as a real cluster would answer
 * during {@code helm install} and {@code helm upgrade}.
 */
final class MockCluster {

  private static KubernetesMockServer server;

  private MockCluster() {}

  static synchronized KubernetesClient client() {
    if (server == null) {
      // CRUD mode (objects created are stored and read back) plus one fixed discovery answer.
      Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
      server =
          new KubernetesMockServer(
              new Context(),
              new MockWebServer(),
              responses,
              new KubernetesMixedDispatcher(responses),
              true);
      server.init();
      // Helm's lookup discovers the core API group before it reads an object.
      var coreResources =
          new APIResourceListBuilder()
              .withGroupVersion("v1")
              .addNewResource()
              .withName("secrets")
              .withKind("Secret")
              .withNamespaced(true)
              .withSingularName("secret")
              .withVerbs("get", "list", "create", "update", "delete")
              .endResource()
              .build();
      server.expect().get().withPath("/api/v1?timeout=32s").andReturn(200, coreResources).always();
      writeKubeconfig(Path.of(System.getenv("KUBECONFIG")), server.url("/"));
    }
    return server.createClient();
  }

  private static void writeKubeconfig(Path file, String url) {
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
        users: [{name: mock, user: {token: mock}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: engram}}]
        current-context: mock
        """
            .formatted(url);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
