package dev.engram.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A private local stack, started with the {@code engram} script exactly as {@code ./engram up}
 * starts it, beside any stack already running on this machine: its own port offset, state directory
 * ({@code ENGRAM_HOME}), Kafka, Redis (which it owns, so it can be stopped) and databases. It runs
 * the jars the reactor just built ({@code ENGRAM_SKIP_BUILD=1}) and is stopped with {@code ./engram
 * down}, its databases dropped, also when the JVM exits early.
 */
final class Stack implements AutoCloseable {

  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(15);

  final Path root;
  final Path home;
  final int offset;
  final int kafkaPort;
  final int redisPort;
  final String dbSuffix;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Thread shutdownHook;
  private boolean stopped;

  private Stack(Path root, Path home, int offset, String otlpEndpoint) {
    this.root = root;
    this.home = home;
    this.offset = offset;
    this.kafkaPort = 8070 + offset;
    this.redisPort = 8075 + offset;
    this.dbSuffix = "_systest" + offset;
    env.put("ENGRAM_HOME", home.toString());
    env.put("ENGRAM_PORT_OFFSET", String.valueOf(offset));
    env.put("ENGRAM_KAFKA_PORT", String.valueOf(kafkaPort));
    env.put("ENGRAM_REDIS_PORT", String.valueOf(redisPort));
    env.put("ENGRAM_DB_SUFFIX", dbSuffix);
    env.put("ENGRAM_SKIP_BUILD", "1");
    env.put("ENGRAM_DETACH", "1");
    env.put("ENGRAM_POOL_WARM", "1");
    env.put("ENGRAM_OTLP_ENDPOINT", otlpEndpoint);
    // generous timeouts between the services: the machine may be loaded (they are not asserted)
    env.put("ENGRAM_ORCHESTRATOR_SERVICES_TIMEOUT", "PT30S");
    env.put("ENGRAM_BROKER_GATEWAY_UPSTREAM_TIMEOUT", "PT90S");
    env.put("QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "PT60S");
    shutdownHook = new Thread(this::stopQuietly, "engram-system-stack-stop");
  }

  /** Starts a private stack (a free port offset is chosen) sending its spans to {@code otlp}. */
  static Stack start(String otlpEndpoint) throws Exception {
    Stack stack = prepare(otlpEndpoint);
    Result up = stack.engram("up");
    if (up.code() != 0) {
      String logs = stack.tailLogs();
      stack.close();
      throw new IllegalStateException("./engram up failed:\n" + up.output() + "\n" + logs);
    }
    return stack;
  }

  /** A private stack's settings (a free port offset, its own home), not started yet. */
  static Stack prepare(String otlpEndpoint) throws Exception {
    Path root = Path.of(System.getProperty("engram.root", "..")).toAbsolutePath().normalize();
    Path work = Path.of(System.getProperty("engram.system.work", "target/system")).toAbsolutePath();
    Files.createDirectories(work);
    int offset = freeOffset();
    Path home = Files.createTempDirectory(work, "stack-" + offset + "-");
    for (String jar :
        List.of(
            "session-service/target/quarkus-app/quarkus-run.jar",
            "memory-service/target/quarkus-app/quarkus-run.jar",
            "orchestrator-service/target/quarkus-app/quarkus-run.jar",
            "container-broker/target/quarkus-app/quarkus-run.jar",
            "local-stack/target/lib")) {
      if (!Files.exists(root.resolve(jar))) {
        throw new IllegalStateException(
            root.resolve(jar)
                + " is missing: the system tests run the jars the reactor built; run"
                + " ./mvnw -pl system-tests -am verify (or ./mvnw -DskipTests package first)");
      }
    }
    Stack stack = new Stack(root, home, offset, otlpEndpoint);
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    return stack;
  }

  /** A port offset whose ports (services, instances, Kafka, Redis) are all free now. */
  private static int freeOffset() {
    for (int attempt = 0; attempt < 50; attempt++) {
      // below the ephemeral port range (32768 and up), so no client socket takes them meanwhile
      int offset = 10_000 + 100 * ThreadLocalRandom.current().nextInt(0, 140);
      if (IntStream.rangeClosed(8070, 8110).allMatch(p -> free(p + offset))) {
        return offset;
      }
    }
    throw new IllegalStateException("no free port range for a private stack");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Sets one more environment variable of the {@code engram} commands this stack runs. */
  Stack with(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Leaves {@code name} unset for the script, as a user who does not set it would. */
  Stack without(String name) {
    env.remove(name);
    return this;
  }

  String gateway() {
    return "http://127.0.0.1:" + (8080 + offset);
  }

  String kafka() {
    return "127.0.0.1:" + kafkaPort;
  }

  Path logs() {
    return home.resolve("logs");
  }

  /** The output and exit code of one {@code engram} command. */
  record Result(int code, String output) {}

  /** Runs {@code ./engram <args>} against this stack. */
  Result engram(String... args) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("engram").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    Path out = home.resolve("engram-" + args[0] + "-" + System.nanoTime() + ".out");
    builder.redirectOutput(out.toFile());
    try {
      Process process = builder.start();
      if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, read(out) + "\n(timed out)");
      }
      return new Result(process.exitValue(), read(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code ./engram <args>} and fails with its output unless it succeeded. */
  String engramOk(String... args) {
    Result result = engram(args);
    if (result.code() != 0) {
      throw new IllegalStateException(
          "./engram " + String.join(" ", args) + " failed:\n" + result.output());
    }
    return result.output();
  }

  /** The last lines of every log of the stack, for failure messages. */
  String tailLogs() {
    StringBuilder out = new StringBuilder();
    try (var files = Files.list(logs())) {
      for (Path log : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        out.append("==> ").append(log.getFileName()).append(" <==\n");
        lines
            .subList(Math.max(0, lines.size() - 25), lines.size())
            .forEach(l -> out.append(l).append('\n'));
      }
    } catch (IOException | UncheckedIOException e) {
      out.append("(logs unreadable: ").append(e).append(")\n");
    }
    return out.toString();
  }

  /** Runs a shell command (psql, redis-cli) and returns its standard output. */
  static String sh(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] bytes = process.getInputStream().readAllBytes();
    process.waitFor(60, TimeUnit.SECONDS);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The databases of this stack. */
  List<String> databases() {
    return List.of("engram_session" + dbSuffix, "engram_memory" + dbSuffix);
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private synchronized void stopQuietly() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      engram("down");
    } catch (RuntimeException e) {
      System.err.println("engram down failed: " + e);
    }
    for (String db : databases()) {
      try {
        sh(
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-qc",
            "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      } catch (Exception e) {
        System.err.println("dropping " + db + " failed: " + e);
      }
    }
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already
    }
  }
}
