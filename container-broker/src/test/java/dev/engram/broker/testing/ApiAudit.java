package dev.engram.broker.testing;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The broker's requests to the mock API server, judged as Kubernetes' RBAC authorizer would judge
 * them against the broker's Role in {@code k8s/engram.yaml} (the chart's default render): the verb
 * from the method (a collection GET is list, or watch with {@code watch=true}), the resource and
 * subresource from the path, and the name from the path, or for list and watch from a {@code
 * metadata.name} field selector, which is what a rule with {@code resourceNames} requires of them.
 * Requests of {@link ApiHelper} (the tests acting as the kubelet or an operator) are left out.
 */
public final class ApiAudit {

  /** One API request as the authorizer sees it; {@code name} is null when none applies. */
  public record ApiRequest(String verb, String group, String resource, String name, String line) {

    /** {@code group/resource verb}, as in a Role. */
    public String grant() {
      return group + "/" + resource + " " + verb;
    }
  }

  /**
   * Every broker request taken from the server so far, by any audit of this application (taking a
   * request removes it from the server's queue, and the test classes sharing the application come
   * in no set order).
   */
  private static final List<ApiRequest> SEEN = new ArrayList<>();

  private final KubernetesServer server;
  private final List<PolicyRule> rules;

  public ApiAudit(KubernetesServer server) {
    this.server = server;
    this.rules = brokerRole().getRules();
  }

  /** Every request the broker made since the application started. */
  public List<ApiRequest> brokerRequests() {
    synchronized (SEEN) {
      return take();
    }
  }

  private List<ApiRequest> take() {
    try {
      RecordedRequest request;
      while ((request = server.getKubernetesMockServer().takeRequest(0, TimeUnit.SECONDS))
          != null) {
        if (!ApiHelper.USER_AGENT.equals(request.getHeader("User-Agent"))) {
          ApiRequest parsed = parse(request.getMethod(), request.getPath());
          if (parsed != null) {
            SEEN.add(parsed);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return List.copyOf(SEEN);
  }

  /** The grants ({@code group/resource verb}) the broker's requests so far needed. */
  public Set<String> grantsUsed() {
    return brokerRequests().stream().map(ApiRequest::grant).collect(Collectors.toSet());
  }

  /** The broker's requests so far that its Role does not allow, each kind once. */
  public List<String> denied() {
    return brokerRequests().stream()
        .filter(r -> !allowed(r))
        .map(r -> r.grant() + " " + (r.name() == null ? "(no name)" : r.name()) + ": " + r.line())
        .collect(Collectors.toMap(d -> d.substring(0, d.indexOf(':')), d -> d, (a, b) -> a))
        .values()
        .stream()
        .sorted()
        .toList();
  }

  private boolean allowed(ApiRequest request) {
    return rules.stream()
        .anyMatch(
            rule ->
                rule.getApiGroups().contains(request.group())
                    && rule.getResources().contains(request.resource())
                    && rule.getVerbs().contains(request.verb())
                    && (rule.getResourceNames() == null
                        || rule.getResourceNames().isEmpty()
                        || rule.getResourceNames().contains(request.name())));
  }

  /** The request a method and path amount to, or null for discovery (allowed to everyone). */
  static ApiRequest parse(String method, String pathAndQuery) {
    URI uri = URI.create(pathAndQuery);
    String[] parts = uri.getPath().replaceFirst("^/", "").split("/");
    int at;
    String group;
    if (parts.length > 0 && parts[0].equals("api")) {
      group = "";
      at = 2;
    } else if (parts.length > 2 && parts[0].equals("apis")) {
      group = parts[1];
      at = 3;
    } else {
      return null;
    }
    if (parts.length > at + 1 && parts[at].equals("namespaces")) {
      at += 2;
    }
    if (parts.length <= at) {
      return null;
    }
    String resource = parts[at];
    String name = parts.length > at + 1 ? parts[at + 1] : null;
    if (parts.length > at + 2) {
      resource += "/" + parts[at + 2];
    }
    Map<String, String> query = query(uri.getRawQuery());
    String verb =
        switch (method) {
          case "GET" -> {
            if (name != null) {
              yield "get";
            }
            name = fieldSelectedName(query.get("fieldSelector"));
            yield "true".equals(query.get("watch")) || "1".equals(query.get("watch"))
                ? "watch"
                : "list";
          }
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name == null ? "deletecollection" : "delete";
          default -> method.toLowerCase();
        };
    return new ApiRequest(verb, group, resource, name, method + " " + pathAndQuery);
  }

  private static String fieldSelectedName(String selector) {
    if (selector == null) {
      return null;
    }
    for (String term : selector.split(",")) {
      if (term.startsWith("metadata.name=")) {
        return term.substring("metadata.name=".length());
      }
    }
    return null;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  /** The broker's Role as the chart renders it, from {@code k8s/engram.yaml}. */
  static Role brokerRole() {
    Path manifests = Path.of(System.getProperty("engram.k8s.manifests", "../k8s/engram.yaml"));
    try {
      for (String document : Files.readString(manifests).split("(?m)^---\\n")) {
        if (document.contains("\nkind: Role\n")
            && document.contains("\n  name: engram-container-broker\n")) {
          return new KubernetesSerialization().unmarshal(document, Role.class);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException(manifests + " has no Role engram-container-broker");
  }
}
