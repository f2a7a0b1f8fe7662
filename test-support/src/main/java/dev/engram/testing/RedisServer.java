package dev.engram.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real Redis server for tests: a private {@code redis-server} process on a free port when the
 * binary is installed (so a test may stop and restart it without disturbing anything else), or else
 * the machine's Redis at {@code ENGRAM_REDIS_URL} (default {@code redis://127.0.0.1:6379}).
 */
public final class RedisServer implements AutoCloseable {

  private static RedisServer shared;

  private final Optional<Path> binary;
  private final String host;
  private final int port;
  private Process process;

  private RedisServer(Optional<Path> binary, String host, int port) {
    this.binary = binary;
    this.host = host;
    this.port = port;
  }

  /** The JVM's Redis, started on first use and stopped when the JVM exits. */
  public static synchronized RedisServer shared() {
    if (shared == null) {
      Optional<Path> binary = findBinary();
      if (binary.isPresent()) {
        shared = new RedisServer(binary, "127.0.0.1", ReservedPorts.freeOutsideEphemeralRange());
        shared.start();
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "redis-server-stop"));
      } else {
        String url = System.getenv().getOrDefault("ENGRAM_REDIS_URL", "redis://127.0.0.1:6379");
        String hostPort = url.replaceFirst("^redis://", "").replaceFirst("/.*$", "");
        String[] parts = hostPort.split(":");
        shared = new RedisServer(Optional.empty(), parts[0], Integer.parseInt(parts[1]));
      }
    }
    return shared;
  }

  /** {@code redis://host:port}, without a database index. */
  public String url() {
    return "redis://" + host + ":" + port;
  }

  public int port() {
    return port;
  }

  /** Whether this server can be stopped and started by a test (a private process). */
  public boolean restartable() {
    return binary.isPresent();
  }

  /** Starts (or restarts, on the same port) the private server and waits until it answers. */
  public synchronized void start() {
    if (binary.isEmpty()) {
      throw new IllegalStateException("Using the machine's Redis; it is not ours to start");
    }
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      binary.get().toString(),
                      "--port",
                      String.valueOf(port),
                      "--bind",
                      host,
                      "--save",
                      "",
                      "--appendonly",
                      "no",
                      "--protected-mode",
                      "no"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + binary.get(), e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!ping()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException("redis-server did not come up on port " + port);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while starting redis-server", e);
      }
    }
  }

  /** Stops the private server: clients see a Redis outage until {@link #start()}. */
  public synchronized void stop() {
    if (binary.isEmpty()) {
      throw new IllegalStateException("Using the machine's Redis; it is not ours to stop");
    }
    if (process != null) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Whether the server answers {@code PING}. */
  public boolean ping() {
    return "+PONG".equals(command("PING"));
  }

  /** Sends one inline command and returns the first line of the reply (or null if unreachable). */
  public String command(String inline) {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (binary.isPresent()) {
      stop();
    }
  }

  private static Optional<Path> findBinary() {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
