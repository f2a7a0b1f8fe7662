package dev.engram.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Quarkus test resource that gives a module its own, freshly created database on the real
 * PostgreSQL server (default {@code 127.0.0.1:5432}, user {@code postgres}; override with {@code
 * ENGRAM_PG_HOST}, {@code ENGRAM_PG_PORT}, {@code ENGRAM_PG_USER}, {@code ENGRAM_PG_PASSWORD}).
 *
 * <p>Init argument {@code database} names the database (plus {@code ENGRAM_TEST_DB_SUFFIX}, see
 * {@link TestDatabase#name}); it is dropped and created once per JVM, then kept while the JVM's
 * Quarkus applications come and go. Sets both the reactive and the JDBC URL (the latter for
 * Flyway).
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

  private static final Set<String> CREATED = new HashSet<>();

  private String database = "engram_test";

  @Override
  public void init(Map<String, String> initArgs) {
    database = TestDatabase.name(initArgs.getOrDefault("database", database));
  }

  @Override
  public Map<String, String> start() {
    recreateOncePerJvm(database);
    return Map.of(
        "quarkus.datasource.reactive.url",
        "postgresql://" + TestDatabase.host() + ":" + TestDatabase.port() + "/" + database,
        "quarkus.datasource.jdbc.url",
        "jdbc:postgresql://" + TestDatabase.host() + ":" + TestDatabase.port() + "/" + database,
        "quarkus.datasource.username",
        TestDatabase.user(),
        "quarkus.datasource.password",
        TestDatabase.password());
  }

  @Override
  public void stop() {
    // Kept for the next application of this JVM; dropped and recreated by the next run.
  }

  private static synchronized void recreateOncePerJvm(String database) {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("Not a plain database name: " + database);
    }
    if (!CREATED.add(database)) {
      return;
    }
    try (Connection admin =
            DriverManager.getConnection(
                TestDatabase.jdbcUrl("postgres"), TestDatabase.user(), TestDatabase.password());
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      statement.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL is not reachable at "
              + TestDatabase.host()
              + ":"
              + TestDatabase.port()
              + " (start it, or run .ci/run which does)",
          e);
    }
  }
}
