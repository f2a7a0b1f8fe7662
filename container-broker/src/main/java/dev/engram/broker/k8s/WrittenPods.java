package dev.engram.broker.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this replica wrote to pods, laid over the informer's cache until the watch brings the same
 * or a newer version: without it, the replica would act on a view older than its own writes (a
 * second release of a pod it has just returned to the pool, a claim of a pod it has just deleted).
 * Versions are compared as numbers (what the API server's resourceVersions are in practice); one
 * that is not a number leaves the informer's view as it is. An entry the watch never confirms is
 * forgotten after a while.
 */
final class WrittenPods {

  private static final long FORGET_NANOS = 30_000_000_000L;

  /** A pod as patched, or the last version of one deleted ({@code pod} null). */
  private record Written(Pod pod, String version, long at) {}

  private final Map<String, Written> written = new ConcurrentHashMap<>();

  void patched(Pod pod) {
    String version = pod.getMetadata().getResourceVersion();
    written.merge(
        pod.getMetadata().getName(),
        new Written(pod, version, System.nanoTime()),
        (old, now) -> newer(old.version(), now.version()) ? old : now);
  }

  void deleted(String name, String version) {
    written.put(name, new Written(null, version, System.nanoTime()));
  }

  /** The informer's pods with this replica's newer writes in place of theirs. */
  List<Pod> overlay(List<Pod> informed) {
    if (written.isEmpty()) {
      return informed;
    }
    long now = System.nanoTime();
    List<Pod> view = new ArrayList<>(informed.size());
    for (Pod pod : informed) {
      String name = pod.getMetadata().getName();
      Written mine = written.get(name);
      if (mine == null) {
        view.add(pod);
      } else if (now - mine.at() > FORGET_NANOS || caughtUp(mine, pod)) {
        written.remove(name, mine);
        view.add(pod);
      } else if (mine.pod() != null) {
        view.add(mine.pod());
      }
      // else: deleted by this replica, the watch has not said so yet
    }
    written.values().removeIf(w -> now - w.at() > FORGET_NANOS);
    return view;
  }

  /**
   * Whether the informer holds what this replica wrote, or newer: a patched pod's version or a
   * later one; for a deleted pod, any version after the one it had (its deletion under way).
   */
  private static boolean caughtUp(Written mine, Pod informed) {
    String theirs = informed.getMetadata().getResourceVersion();
    return mine.pod() != null
        ? !newer(mine.version(), theirs)
        : newer(theirs, mine.version()) || !numeric(theirs, mine.version());
  }

  /** Whether {@code a} is a later version than {@code b} (false when either is not a number). */
  private static boolean newer(String a, String b) {
    return numeric(a, b) && Long.parseLong(a) > Long.parseLong(b);
  }

  private static boolean numeric(String a, String b) {
    try {
      Long.parseLong(a);
      Long.parseLong(b);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
