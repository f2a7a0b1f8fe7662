package dev.engram.broker.local;

import dev.engram.broker.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Starts one orchestrator JVM. The child inherits the broker's environment (Kafka, Redis and the
 * JWT keys of the local run), then gets its own port and name and the configured extras. Its JVM
 * options are the {@code jvm.options} file next to the jar (written by the orchestrator build, with
 * its AOT cache), then the configured ones.
 */
final class ProcessLauncher {

  private final BrokerConfig.Local config;

  ProcessLauncher(BrokerConfig.Local config) {
    this.config = config;
  }

  Process start(String name, int port, Path log) throws IOException {
    Path jar = Path.of(config.jar()).toAbsolutePath();
    if (!jar.toFile().isFile()) {
      throw new IOException("The orchestrator jar " + jar + " does not exist (build it first)");
    }
    List<String> command = new ArrayList<>();
    command.add(
        config.java().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // The orchestrator build's own JVM options (heap, GC, JIT, its AOT cache), if it wrote them;
    // the configured options follow and win.
    Path options = jar.getParent().resolve("jvm.options");
    if (options.toFile().isFile()) {
      command.add("@" + options);
    }
    Arrays.stream(config.jvmOptions().trim().split("\\s+"))
        .filter(o -> !o.isBlank())
        .forEach(command::add);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(jar.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.putAll(config.env());
    env.put("ENGRAM_INSTANCE_NAME", name);
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    env.put("QUARKUS_HTTP_HOST", config.host());
    return builder.start();
  }
}
