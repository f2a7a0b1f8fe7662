package dev.engram.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ReservedPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
      assertThat(stack.engram("status").output()).doesNotContain("(pid ");
      try (var pids = Files.list(stack.home.resolve("pids"))) {
        assertThat(pids).isEmpty();
      }
    }
  }

  /**
   * No PostgreSQL on the stack's port: it starts the embedded one, which never runs as root (as
   * root, the script runs it as an unprivileged system user, created if missing), with the stack's
   * databases, and stops it again.
   */
  @Test
  void withoutPostgresqlOnItsPortTheStackRunsAnEmbeddedOneThatIsNotRoot() throws Exception {
    try (Stack stack = Stack.prepare("http://127.0.0.1:1")) {
      int port = ReservedPorts.freeOutsideEphemeralRange();
      stack.with("ENGRAM_PG_PORT", String.valueOf(port));
      // the unprivileged user must reach the stack's state: its temporary home is private
      Files.setPosixFilePermissions(stack.home, PosixFilePermissions.fromString("rwxr-xr-x"));

      Stack.Result start = stack.engram("start", "postgres");

      assertThat(start.code()).as(start.output() + stack.tailLogs()).isZero();
      long pid =
          Long.parseLong(Files.readString(stack.home.resolve("pids/postgres")).split(" ")[0]);
      int uid = (Integer) Files.getAttribute(Path.of("/proc/" + pid), "unix:uid");
      assertThat(uid).as("the embedded PostgreSQL's user").isNotZero();
      if (isRoot()) {
        assertThat(start.output()).contains("as user engram-postgres");
        assertThat(Stack.sh("id", "-u", "engram-postgres").strip()).isEqualTo(String.valueOf(uid));
      }
      for (String db : stack.databases()) {
        assertThat(
                Stack.sh(
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(port),
                    "-U",
                    "postgres",
                    "-d",
                    db,
                    "-tAc",
                    "SELECT current_database()"))
            .as(db)
            .contains(db);
      }
      assertThat(stack.engram("status").output()).containsPattern("postgres +running +\\(pid");

      Stack.Result stop = stack.engram("stop", "postgres");
      assertThat(stop.code()).as(stop.output()).isZero();
      assertThat(listening(port)).isFalse();
    }
  }

  /**
   * As root, where the unprivileged user cannot reach the stack's state (here its temporary home,
   * private to root), nothing is started and the message says what to do.
   */
  @Test
  void asRootAStateTheEmbeddedPostgresqlCannotReachStopsTheStartSayingWhatToDo() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(isRoot(), "only root runs it as another user");
    try (Stack stack = Stack.prepare("http://127.0.0.1:1")) {
      int port = ReservedPorts.freeOutsideEphemeralRange();
      stack.with("ENGRAM_PG_PORT", String.valueOf(port));
      Files.setPosixFilePermissions(stack.home, PosixFilePermissions.fromString("rwx------"));

      Stack.Result start = stack.engram("start", "postgres");

      assertThat(start.code()).as(start.output()).isEqualTo(1);
      assertThat(start.output())
          .contains("runs as engram-postgres")
          .contains(stack.home.toString())
          .contains("apt-get install postgresql");
      assertThat(stack.home.resolve("pids/postgres")).doesNotExist();
      assertThat(listening(port)).isFalse();
    }
  }

  /**
   * A stack moved by {@code ENGRAM_PORT_OFFSET} and given no Redis runs one of its own on 6379 +
   * the offset, which it owns and stops, rather than sharing the machine's (and another stack's
   * keys).
   */
  @Test
  void aStackMovedByAnOffsetRunsARedisOfItsOwn() throws Exception {
    try (Stack stack = Stack.prepare("http://127.0.0.1:1")) {
      stack.without("ENGRAM_REDIS_PORT");
      int port = 6379 + stack.offset;
      assertThat(listening(port)).as("nothing on %d before the start", port).isFalse();

      Stack.Result start = stack.engram("start", "redis");

      assertThat(start.code()).as(start.output()).isZero();
      assertThat(listening(port)).isTrue();
      assertThat(stack.engram("status").output())
          .containsPattern("redis +running +\\(pid \\d+, port " + port + "\\)");

      assertThat(stack.engram("stop", "redis").code()).isZero();
      assertThat(listening(port)).isFalse();
    }
  }

  private static boolean isRoot() throws Exception {
    return Stack.sh("id", "-u").strip().equals("0");
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
