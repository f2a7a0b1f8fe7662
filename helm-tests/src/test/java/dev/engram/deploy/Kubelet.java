package dev.engram.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.deploy.EngramChart.Rendered;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kubelet hands the first container of a rendered pod spec: its environment (the {@code
 * envFrom} ConfigMaps of the render, then {@code env} in order, {@code secretKeyRef}s read from the
 * given Secrets and {@code $(NAME)} references expanded the way Kubernetes does) and the files of
 * its Secret volumes, written under {@code root} at their mount paths.
 */
final class Kubelet {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][\\w.-]*)\\)");

  private Kubelet() {}

  /**
   * The running container: its environment, where its mounted files are on this machine, and the
   * mount paths of the volumes written there.
   */
  record Container(Map<String, String> env, Path root, List<String> mountPaths) {

    /** Where a path inside the container is on this machine (only mounted files exist). */
    Path file(String pathInContainer) {
      return root.resolve(pathInContainer.replaceFirst("^/+", ""));
    }

    /**
     * The environment for a process on this machine: every value that names a file of a mounted
     * volume points at that file under {@link #root} instead.
     */
    Map<String, String> localEnv() {
      Map<String, String> local = new LinkedHashMap<>(env);
      local.replaceAll(
          (name, value) ->
              mountPaths.stream().anyMatch(m -> value.startsWith(m + "/"))
                  ? file(value).toString()
                  : value);
      return local;
    }
  }

  static Container start(
      Rendered rendered, JsonNode podSpec, Map<String, Map<String, String>> secrets, Path root) {
    JsonNode container = podSpec.at("/containers/0");
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode source : container.path("envFrom")) {
      String configMap = source.at("/configMapRef/name").asText();
      if (configMap.isEmpty()) {
        throw new AssertionError("an envFrom source the stand-in cannot read: " + source);
      }
      rendered
          .get("ConfigMap", configMap)
          .path("data")
          .properties()
          .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    for (JsonNode var : container.path("env")) {
      String name = var.path("name").asText();
      if (var.has("value")) {
        env.put(name, expand(var.path("value").asText(), env));
      } else if (var.at("/valueFrom/secretKeyRef").isObject()) {
        env.put(name, secretValue(secrets, var.at("/valueFrom/secretKeyRef")));
      } else {
        throw new AssertionError("an env source the stand-in cannot resolve: " + var);
      }
    }
    List<String> mounted = mountSecrets(podSpec, container, secrets, root);
    return new Container(Collections.unmodifiableMap(env), root, mounted);
  }

  /**
   * Kubernetes' expansion of {@code $(NAME)} in an env value: a variable defined before it (in env
   * or envFrom) is replaced, {@code $$} is a literal {@code $}, anything else stays as written.
   */
  static String expand(String value, Map<String, String> defined) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        replacement = defined.getOrDefault(m.group(1), m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return m.appendTail(out).toString();
  }

  private static String secretValue(Map<String, Map<String, String>> secrets, JsonNode ref) {
    String name = ref.path("name").asText();
    String key = ref.path("key").asText();
    Map<String, String> secret = secrets.getOrDefault(name, Map.of());
    if (!secret.containsKey(key)) {
      // the kubelet would not start the container (CreateContainerConfigError)
      throw new AssertionError("no key " + key + " in Secret " + name);
    }
    return secret.get(key);
  }

  private static List<String> mountSecrets(
      JsonNode podSpec, JsonNode container, Map<String, Map<String, String>> secrets, Path root) {
    List<String> mounted = new ArrayList<>();
    for (JsonNode mount : container.path("volumeMounts")) {
      for (JsonNode volume : podSpec.path("volumes")) {
        if (!volume.path("name").asText().equals(mount.path("name").asText())
            || !volume.has("secret")) {
          continue;
        }
        String secretName = volume.at("/secret/secretName").asText();
        Map<String, String> secret = secrets.get(secretName);
        if (secret == null) {
          continue; // a Secret this test does not provide (the JWT key): nothing to mount
        }
        Map<String, String> files = new LinkedHashMap<>();
        if (volume.at("/secret/items").isArray()) {
          for (JsonNode item : volume.at("/secret/items")) {
            files.put(
                item.path("path").asText(), secretValue(secrets, secretRef(secretName, item)));
          }
        } else {
          files.putAll(secret);
        }
        Path dir = root.resolve(mount.path("mountPath").asText().replaceFirst("^/+", ""));
        try {
          Files.createDirectories(dir);
          for (var file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        mounted.add(mount.path("mountPath").asText());
      }
    }
    return mounted;
  }

  private static JsonNode secretRef(String secretName, JsonNode item) {
    return EngramChart.YAML
        .createObjectNode()
        .put("name", secretName)
        .put("key", item.path("key").asText());
  }
}
