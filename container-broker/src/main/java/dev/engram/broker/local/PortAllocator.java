package dev.engram.broker.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Collection;

/** Free ports for instances: from a base port upward, or any free port when the base is 0. */
final class PortAllocator {

  private final String host;
  private final int basePort;

  PortAllocator(String host, int basePort) {
    this.host = host;
    this.basePort = basePort;
  }

  synchronized int next(Collection<Integer> taken) {
    if (basePort == 0) {
      return bind(0);
    }
    for (int port = basePort; port < 65535; port++) {
      if (!taken.contains(port) && bind(port) > 0) {
        return port;
      }
    }
    throw new IllegalStateException("No free port from " + basePort);
  }

  private int bind(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      if (port == 0) {
        throw new IllegalStateException("No free port on " + host, e);
      }
      return -1;
    }
  }
}
