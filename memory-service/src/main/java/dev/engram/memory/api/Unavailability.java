package dev.engram.memory.api;

import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Whether a failure means that something the service depends on could not be reached or refused for
 * now (PostgreSQL or Redis down, a connection lost, a timeout, a serialization conflict): a 503 the
 * client may retry. Anything else is a fault of the service itself: a 500.
 */
final class Unavailability {

  /** SQLSTATE classes and codes that pass: connection (08), resources (53), shutdown, conflicts. */
  private static final Set<String> TRANSIENT_STATES =
      Set.of("57P01", "57P02", "57P03", "40001", "40P01", "55P03");

  private static final int MAX_DEPTH = 10;

  private Unavailability() {}

  static boolean isTransient(Throwable failure) {
    Throwable e = failure;
    for (int depth = 0; e != null && depth < MAX_DEPTH; depth++, e = e.getCause()) {
      if (e instanceof IOException
          || e instanceof TimeoutException
          || e instanceof io.smallrye.mutiny.TimeoutException
          || e instanceof io.vertx.core.http.ConnectionPoolTooBusyException
          || e instanceof io.vertx.sqlclient.ClosedConnectionException) {
        return true;
      }
      if (e instanceof PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        if (state.startsWith("08") || state.startsWith("53") || TRANSIENT_STATES.contains(state)) {
          return true;
        }
      }
      String type = e.getClass().getName();
      // Vert.x reports a refused or reset connection, and a pool that waited too long, this way
      if (type.equals("io.vertx.core.impl.NoStackTraceThrowable")
          || type.equals("io.vertx.core.VertxException")
          || type.startsWith("io.vertx.redis.client.")) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("connection")
            || message.contains("closed")
            || message.contains("timeout")
            || message.contains("timed out")
            || message.contains("refused")) {
          return true;
        }
      }
    }
    return false;
  }
}
