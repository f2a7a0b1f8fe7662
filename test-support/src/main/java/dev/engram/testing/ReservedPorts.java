package dev.engram.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports a test chooses now and listens on later. A port the system hands out for port 0 is an
 * ephemeral one, which the system may hand out again (to another process's listener or outgoing
 * connection) as soon as it is released: a test that closes its probe and binds seconds later may
 * find it taken. The ports given here are free below the system's ephemeral range ({@code
 * /proc/sys/net/ipv4/ip_local_port_range}; 32768 where it cannot be read), which the system never
 * hands out on its own.
 */
public final class ReservedPorts {

  private static final int LOWEST = 10_000;
  private static final int ATTEMPTS = 200;

  private ReservedPorts() {}

  /** A loopback port that is free now and outside the ephemeral range. */
  public static int freeOutsideEphemeralRange() {
    int below = ephemeralRangeStart();
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return probe.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new UncheckedIOException(
        new IOException(
            "no free port in " + LOWEST + "-" + below + " after " + ATTEMPTS + " tries"));
  }

  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
      int start = Integer.parseInt(range.split("\\s+")[0]);
      return start > LOWEST + 1_000 ? start : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
