package dev.engram.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The orchestrator pod template as the Helm chart renders it: taken from the plain manifests in
 * {@code k8s/engram.yaml} (rendered from the chart; the ConfigMap {@code
 * engram-orchestrator-service-pod-template}, key {@code orchestrator-pod.yaml}) and written to a
 * file, as the chart mounts it for the broker.
 */
public final class ChartPodTemplate {

  private static final String CONFIG_MAP = "name: engram-orchestrator-service-pod-template";
  private static final String KEY = "orchestrator-pod.yaml: |";
  private static Path file;

  private ChartPodTemplate() {}

  /** The manifest's text. */
  public static synchronized String manifest() {
    try {
      return Files.readString(file());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file holding the manifest. */
  public static synchronized Path file() {
    if (file != null) {
      return file;
    }
    try {
      Path manifests = Path.of(System.getProperty("engram.k8s.manifests", "../k8s/engram.yaml"));
      List<String> lines = Files.readAllLines(manifests);
      int at = indexOf(lines, CONFIG_MAP, 0);
      at = indexOf(lines, KEY, at) + 1;
      List<String> pod = new ArrayList<>();
      for (;
          at < lines.size() && (lines.get(at).startsWith("    ") || lines.get(at).isBlank());
          at++) {
        pod.add(lines.get(at).isBlank() ? "" : lines.get(at).substring(4));
      }
      file = Files.createTempFile("orchestrator-pod", ".yaml");
      Files.write(file, pod);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(List<String> lines, String text, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(text)) {
        return i;
      }
    }
    throw new IllegalStateException("k8s/engram.yaml has no '" + text + "'");
  }
}
