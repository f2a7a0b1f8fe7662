package dev.engram.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The chart under test, rendered by the Helm library bundled with helm-java. */
final class EngramChart {

  static final String RELEASE = "engram";
  static final String NAMESPACE = "engram";
  static final String KUBE_VERSION = "1.31.0";
  static final String DEFAULTS = "defaults";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private EngramChart() {}

  static Path dir() {
    return Path.of(System.getProperty("engram.chart", "../helm/engram")).toAbsolutePath();
  }

  static Path manifests() {
    return Path.of(System.getProperty("engram.manifests", "../k8s")).toAbsolutePath();
  }

  static Path scenario(String name) {
    return Path.of("src/test/resources/scenarios", name + ".yaml").toAbsolutePath();
  }

  static Helm helm() {
    return new Helm(dir());
  }

  /** The chart rendered with its defaults plus the given scenario files and --set values. */
  static Rendered render(List<String> scenarios, Map<String, Object> sets) {
    MockCluster.client();
    TemplateCommand command =
        helm().template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
    scenarios.stream()
        .filter(s -> !s.equals(DEFAULTS))
        .forEach(s -> command.withValuesFile(scenario(s)));
    sets.forEach(command::set);
    return new Rendered(command.call());
  }

  /**
   * The NOTES an install prints, from {@code helm install --dry-run=server} against the mock
   * cluster (NOTES are rendered by install, not by template).
   */
  static String notes(List<String> scenarios, Map<String, Object> sets) {
    String output = installOutput(scenarios, sets);
    int start = output.indexOf("NOTES:\n");
    if (start < 0) {
      throw new AssertionError("no NOTES in the install's output:\n" + output);
    }
    return output.substring(start + "NOTES:\n".length());
  }

  /**
   * What {@code helm install --dry-run=server} against the mock cluster prints: the release, its
   * hooks (the {@code helm test} pod among them, which {@code template} leaves out), its manifest
   * and its NOTES.
   */
  static String installOutput(List<String> scenarios, Map<String, Object> sets) {
    MockCluster.client();
    var command =
        helm()
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION)
            .withDryRunOption(com.marcnuri.helm.DryRun.SERVER)
            .disableOpenApiValidation()
            .withKubeConfig(Path.of(System.getenv("KUBECONFIG")));
    scenarios.forEach(s -> command.withValuesFile(scenario(s)));
    sets.forEach(command::set);
    return command.call().getOutput();
  }

  /**
   * The {@code helm test} pod, rendered with the given --set values. {@code helm template} (and
   * helm-java's) leaves test hooks out, so this renders a copy of the chart whose test templates
   * carry the hook annotation under another name ({@link #WAS_HOOK}), which keeps everything else
   * as Helm would create it.
   */
  static ObjectNode testPod(Map<String, Object> sets) {
    return TEST_PODS.computeIfAbsent(sets, EngramChart::renderTestPod);
  }

  private static final Map<Map<String, Object>, ObjectNode> TEST_PODS = new ConcurrentHashMap<>();

  private static ObjectNode renderTestPod(Map<String, Object> sets) {
    Path copy = Path.of("target", "chart-with-tests").toAbsolutePath();
    try {
      synchronized (EngramChart.class) {
        copyChart(dir(), copy);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    MockCluster.client();
    TemplateCommand command =
        new Helm(copy)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    sets.forEach(command::set);
    return new Rendered(command.call())
        .objects().stream()
            .filter(o -> "test".equals(o.at("/metadata/annotations/" + WAS_HOOK).asText()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no helm test pod in the chart"));
  }

  /** Where {@link #testPod} keeps the {@code helm.sh/hook} annotation's value. */
  static final String WAS_HOOK = "engram.dev~1was-helm.sh-hook";

  private static void copyChart(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      try (var stale = Files.walk(to)) {
        for (Path file : stale.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    try (var files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          String text = Files.readString(file);
          if (from.relativize(file).startsWith(Path.of("templates", "tests"))) {
            text = text.replace("helm.sh/hook: test", "engram.dev/was-helm.sh-hook: test");
          }
          Files.writeString(target, text);
        }
      }
    }
  }

  private static final Map<List<String>, Rendered> CACHE = new ConcurrentHashMap<>();

  /** The chart rendered with its defaults plus the given scenario files (cached per JVM). */
  static Rendered render(String... scenarios) {
    return CACHE.computeIfAbsent(List.of(scenarios), s -> render(s, Map.of()));
  }

  /** The objects of one render, parsed. */
  record Rendered(String text, List<ObjectNode> objects) {

    Rendered(String text) {
      this(text, parse(text));
    }

    static List<ObjectNode> parse(String yaml) {
      try (var parser = YAML.getFactory().createParser(yaml)) {
        List<ObjectNode> docs = new ArrayList<>();
        YAML.readValues(parser, JsonNode.class)
            .forEachRemaining(
                node -> {
                  if (node instanceof ObjectNode object && !object.isEmpty()) {
                    docs.add(object);
                  }
                });
        return docs;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    List<ObjectNode> all(String kind) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    ObjectNode get(String kind, String name) {
      return objects.stream()
          .filter(o -> kind.equals(o.path("kind").asText()))
          .filter(o -> name.equals(o.at("/metadata/name").asText()))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the render"));
    }

    boolean has(String kind, String name) {
      return all(kind).stream().anyMatch(o -> name.equals(o.at("/metadata/name").asText()));
    }

    /** The pod template the broker uses for user pods, as rendered into its ConfigMap. */
    ObjectNode orchestratorPod() {
      String file =
          get("ConfigMap", "engram-orchestrator-service-pod-template")
              .at("/data/orchestrator-pod.yaml")
              .asText();
      return parse(file).getFirst();
    }

    /** Pod specs of every workload, the test pod and the orchestrator pod template. */
    List<Workload> workloads() {
      List<Workload> result = new ArrayList<>();
      for (ObjectNode o : objects) {
        switch (o.path("kind").asText()) {
          case "Deployment", "StatefulSet" ->
              result.add(
                  new Workload(o.at("/metadata/name").asText(), o.at("/spec/template/spec")));
          case "Pod" -> result.add(new Workload(o.at("/metadata/name").asText(), o.path("spec")));
          default -> {}
        }
      }
      result.add(new Workload("orchestrator pod template", orchestratorPod().path("spec")));
      return result;
    }

    void writeTo(Path file) {
      try {
        Files.writeString(file, text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  record Workload(String name, JsonNode podSpec) {}
}
