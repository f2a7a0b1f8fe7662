package dev.engram.broker.api;

import dev.engram.broker.claim.ClaimWarmUp;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code claim-warm-up}: DOWN while this replica warms its claim path up ({@link
 * ClaimWarmUp}), UP once it finished, is off ({@code warm-up-rounds} 0), failed or ran out of
 * {@code warm-up-timeout} (a replica that cannot warm up still serves; the log says why).
 */
@Readiness
@ApplicationScoped
public class ClaimWarmUpCheck implements HealthCheck {

  private final ClaimWarmUp warmUp;

  ClaimWarmUpCheck(ClaimWarmUp warmUp) {
    this.warmUp = warmUp;
  }

  @Override
  public HealthCheckResponse call() {
    return of(warmUp.progress(), System.nanoTime());
  }

  /** The check's answer for {@code progress} as of {@code nowNanos}. */
  static HealthCheckResponse of(ClaimWarmUp.Progress progress, long nowNanos) {
    ClaimWarmUp.State state = progress.state(nowNanos);
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("claim-warm-up")
            .status(state != ClaimWarmUp.State.RUNNING)
            .withData("state", state.name().toLowerCase(Locale.ROOT))
            .withData("rounds", progress.rounds())
            .withData("roundsDone", progress.roundsDone());
    if (!progress.reason().isEmpty()) {
      response.withData("reason", progress.reason());
    }
    return response.build();
  }
}
