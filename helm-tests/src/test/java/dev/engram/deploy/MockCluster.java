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
      // Discovery of the kinds the chart renders: Helm's lookup reads the core group's, and an
      // install maps every object of the release to its resource through it.
      discovery(
          "v1",
          "serviceaccounts/ServiceAccount",
          "secrets/Secret",
          "configmaps/ConfigMap",
          "services/Service",
          "pods/Pod",
          "persistentvolumeclaims/PersistentVolumeClaim");
      discovery("apps/v1", "deployments/Deployment", "statefulsets/StatefulSet");
      discovery("policy/v1", "poddisruptionbudgets/PodDisruptionBudget");
      discovery("networking.k8s.io/v1", "networkpolicies/NetworkPolicy", "ingresses/Ingress");
      discovery("rbac.authorization.k8s.io/v1", "roles/Role", "rolebindings/RoleBinding");
      discovery("autoscaling/v2", "horizontalpodautoscalers/HorizontalPodAutoscaler");
      discovery(
          "monitoring.coreos.com/v1", "servicemonitors/ServiceMonitor", "podmonitors/PodMonitor");
      answer("/api", "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
      answer("/apis", apiGroups());
      // what Helm checks the chart's kubeVersion against on an install against the cluster
      String version =
          "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v"
              + EngramChart.KUBE_VERSION
              + "\",\"platform\":\"linux/amd64\"}";
      answer("/version", version);
      writeKubeconfig(Path.of(System.getenv("KUBECONFIG")), server.url("/"));
    }
    return server.createClient();
  }

  private static final java.util.List<String> GROUP_VERSIONS = new java.util.ArrayList<>();

  /** The resource list of {@code groupVersion}: each of {@code resources} "plural/Kind". */
  private static void discovery(String groupVersion, String... resources) {
    GROUP_VERSIONS.add(groupVersion);
    var list = new APIResourceListBuilder().withGroupVersion(groupVersion);
    for (String resource : resources) {
      String[] parts = resource.split("/");
      list.addNewResource()
          .withName(parts[0])
          .withKind(parts[1])
          .withNamespaced(true)
          .withSingularName(parts[1].toLowerCase(java.util.Locale.ROOT))
          .withVerbs("get", "list", "watch", "create", "update", "patch", "delete")
          .endResource();
    }
    String path = groupVersion.equals("v1") ? "/api/v1" : "/apis/" + groupVersion;
    String body = io.fabric8.kubernetes.client.utils.Serialization.asJson(list.build());
    answer(path, body);
  }

  private static String apiGroups() {
    StringBuilder groups = new StringBuilder("{\"kind\":\"APIGroupList\",\"groups\":[");
    String separator = "";
    for (String gv : GROUP_VERSIONS) {
      if (gv.equals("v1")) {
        continue;
      }
      String group = gv.substring(0, gv.indexOf('/'));
      String version = gv.substring(gv.indexOf('/') + 1);
      String entry = "{\"groupVersion\":\"" + gv + "\",\"version\":\"" + version + "\"}";
      groups
          .append(separator)
          .append("{\"name\":\"")
          .append(group)
          .append("\",\"versions\":[")
          .append(entry)
          .append("],\"preferredVersion\":")
          .append(entry)
          .append('}');
      separator = ",";
    }
    return groups.append("]}").toString();
  }

  /** A fixed answer at {@code path}, with or without the client's timeout parameter. */
  private static void answer(String path, String body) {
    server.expect().get().withPath(path).andReturn(200, body).always();
    server.expect().get().withPath(path + "?timeout=32s").andReturn(200, body).always();
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
