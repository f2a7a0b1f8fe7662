package dev.engram.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code ./engram up} refuses early, and clearly, what it cannot do. */
class LauncherTest {

  @Test
  void aPortHeldByAnotherProgramStopsTheStartNamingIt() throws Exception {
    try (Stack stack = Stack.prepare("http://127.0.0.1:1");
        ServerSocket squatter =
            new ServerSocket(8082 + stack.offset, 1, InetAddress.getLoopbackAddress())) {
      Stack.Result up = stack.engram("up");

      assertThat(up.code()).as(up.output()).isEqualTo(1);
      assertThat(up.output())
          .contains((8082 + stack.offset) + " (memory-service)")
          .contains("ENGRAM_PORT_OFFSET")
          .doesNotContain("starting");
      // nothing was started, and nothing is left that a next start would trip over
      assertThat(stack.engram("status").output()).doesNotContain("running (pid");
      try (var pids = Files.list(stack.home.resolve("pids"))) {
        assertThat(pids).isEmpty();
      }
    }
  }
}
