package dev.engram.memory.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failures are a retryable 503 and which are the service's own 500. */
class UnavailabilityTest {

  @Test
  void aDependencyThatCannotBeReachedIsTransient() {
    assertThat(Unavailability.isTransient(new CompletionException(new ConnectException("refused"))))
        .isTrue();
    assertThat(Unavailability.isTransient(new NoStackTraceThrowable("Connection refused")))
        .isTrue();
    assertThat(Unavailability.isTransient(new io.smallrye.mutiny.TimeoutException())).isTrue();
    assertThat(
            Unavailability.isTransient(
                new PgException("the database system is shutting down", "FATAL", "57P03", null)))
        .isTrue();
    assertThat(
            Unavailability.isTransient(
                new PgException("connection failure", "FATAL", "08006", null)))
        .isTrue();
    assertThat(
            Unavailability.isTransient(
                new PgException("could not serialize access", "ERROR", "40001", null)))
        .isTrue();
  }

  @Test
  void theServicesOwnFaultsAreNot() {
    assertThat(Unavailability.isTransient(new NullPointerException())).isFalse();
    assertThat(Unavailability.isTransient(new IllegalStateException("a bug"))).isFalse();
    assertThat(
            Unavailability.isTransient(
                new PgException("duplicate key value", "ERROR", "23505", null)))
        .isFalse();
    assertThat(
            Unavailability.isTransient(
                new PgException("column \"x\" does not exist", "ERROR", "42703", null)))
        .isFalse();
    assertThat(Unavailability.isTransient(new NoStackTraceThrowable("unexpected value"))).isFalse();
  }
}
