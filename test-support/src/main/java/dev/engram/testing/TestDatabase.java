package dev.engram.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Direct JDBC access to a test database, so tests can assert on the rows a service stored (or did
 * not leave behind) without going through the service.
 */
public final class TestDatabase {

  private TestDatabase() {}

  static String host() {
    return env("ENGRAM_PG_HOST", "127.0.0.1");
  }

  static String port() {
    return env("ENGRAM_PG_PORT", "5432");
  }

  static String user() {
    return env("ENGRAM_PG_USER", "postgres");
  }

  static String password() {
    return env("ENGRAM_PG_PASSWORD", "");
  }

  /**
   * The name a test database really has on the server: the name the tests use, plus {@code
   * ENGRAM_TEST_DB_SUFFIX} if set, so that two checkouts can run the same module's tests at once on
   * one server without dropping each other's database. The {@code postgres} maintenance database
   * keeps its name.
   */
  public static String name(String database) {
    return "postgres".equals(database) ? database : database + env("ENGRAM_TEST_DB_SUFFIX", "");
  }

  /** The JDBC URL of a database on the test server (its name as {@link #name} gives it). */
  public static String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + name(database);
  }

  /** A new connection to a database on the test server; the caller closes it. */
  public static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), user(), password());
  }

  /** The single {@code long} a query returns, for example a {@code count(*)}. */
  public static long queryLong(String database, String sql, Object... params) {
    try (Connection connection = connect(database);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("No row from: " + sql);
        }
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Query failed: " + sql, e);
    }
  }

  /** Runs a statement (for example to age a row in a test) and returns the update count. */
  public static int execute(String database, String sql, Object... params) {
    try (Connection connection = connect(database);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Statement failed: " + sql, e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
