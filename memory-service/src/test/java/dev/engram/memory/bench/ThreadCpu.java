package dev.engram.memory.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads by group (the thread's OS name with its numbers dropped: "C2
 * CompilerThre", "GC Thread#", "vert.x-eventloo", "executor-thread", ...), from Linux's {@code
 * /proc/self/task/<tid>/schedstat}: the time each thread ran and the time it was runnable but
 * waited for a core. A snapshot before and after a timed window shows who competed with the
 * measured code (the JIT compilers, the collector, the service's own background work); and the
 * machine's busy time outside this JVM ({@code /proc/stat}: PostgreSQL, Redis, other users). Empty
 * where there is no {@code /proc}.
 */
final class ThreadCpu {

  /** Run and wait nanoseconds of one thread. */
  record Times(long runNanos, long waitNanos) {}

  private final Map<String, Times> byThread;
  private final long machineBusyMillis;

  private ThreadCpu(Map<String, Times> byThread, long machineBusyMillis) {
    this.byThread = byThread;
    this.machineBusyMillis = machineBusyMillis;
  }

  /** Busy time of all cores since boot (user, nice, system, irq, softirq, steal), milliseconds. */
  private static long machineBusyMillis() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long ticks = 0;
      for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
        ticks += Long.parseLong(cpu[field]);
      }
      return ticks * 10; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static ThreadCpu snapshot() {
    Map<String, Times> out = new HashMap<>();
    long machine = machineBusyMillis();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return new ThreadCpu(out, machine);
    }
    try (Stream<Path> list = Files.list(tasks)) {
      for (Path task : list.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          String[] sched = Files.readString(task.resolve("schedstat")).strip().split(" ");
          out.put(
              task.getFileName() + " " + name,
              new Times(Long.parseLong(sched[0]), Long.parseLong(sched[1])));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to report
    }
    return new ThreadCpu(out, machine);
  }

  /** Group → [run ms, waited ms] between {@code before} and this snapshot, largest run first. */
  Map<String, double[]> since(ThreadCpu before) {
    Map<String, double[]> groups = new HashMap<>();
    byThread.forEach(
        (thread, t) -> {
          Times b = before.byThread.getOrDefault(thread, new Times(0, 0));
          long run = t.runNanos() - b.runNanos();
          long wait = t.waitNanos() - b.waitNanos();
          if (run <= 0 && wait <= 0) {
            return;
          }
          String group =
              thread.substring(thread.indexOf(' ') + 1).replaceAll("(?<![CG])[0-9]+", "");
          double[] sum = groups.computeIfAbsent(group, g -> new double[2]);
          sum[0] += run / 1e6;
          sum[1] += wait / 1e6;
        });
    Map<String, double[]> sorted = new LinkedHashMap<>();
    groups.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    if (machineBusyMillis >= 0 && before.machineBusyMillis >= 0) {
      double jvm = groups.values().stream().mapToDouble(v -> v[0]).sum();
      double outside = machineBusyMillis - before.machineBusyMillis - jvm;
      sorted.put(OUTSIDE, new double[] {Math.max(0, outside), Double.NaN});
    }
    return sorted;
  }

  static final String OUTSIDE = "(outside this JVM: PostgreSQL, Redis, other processes)";

  /** A markdown line per group: the {@code limit} largest, the rest summed, then the outside. */
  static String table(Map<String, double[]> groups, int limit) {
    StringBuilder out =
        new StringBuilder("| threads | CPU ms | waited for a core ms |\n|---|---|---|\n");
    double[] outside = groups.get(OUTSIDE);
    List<Map.Entry<String, double[]>> entries =
        groups.entrySet().stream().filter(e -> !e.getKey().equals(OUTSIDE)).toList();
    double restRun = 0;
    double restWait = 0;
    for (int i = 0; i < entries.size(); i++) {
      double[] v = entries.get(i).getValue();
      if (i < limit) {
        out.append("| %s | %.0f | %.0f |%n".formatted(entries.get(i).getKey(), v[0], v[1]));
      } else {
        restRun += v[0];
        restWait += v[1];
      }
    }
    if (entries.size() > limit) {
      out.append("| (others) | %.0f | %.0f |%n".formatted(restRun, restWait));
    }
    if (outside != null) {
      out.append("| %s | %.0f | |%n".formatted(OUTSIDE, outside[0]));
    }
    return out.toString();
  }
}
