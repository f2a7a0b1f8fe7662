package dev.engram.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.broker.claim.ClaimWarmUp;
import dev.engram.broker.claim.ClaimWarmUp.Progress;
import dev.engram.broker.claim.ClaimWarmUp.State;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

/** Readiness {@code claim-warm-up}: down while the warm-up runs, up once it ended, whatever way. */
class ClaimWarmUpCheckTest {

  private static final long START = 1_000_000_000L;
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final long SECOND = 1_000_000_000L;

  @Test
  void isDownWhileTheRoundsRunAndUpOnceTheyAreDone() {
    Progress progress = new Progress(3, LIMIT, START);
    progress.roundDone();
    HealthCheckResponse running = ClaimWarmUpCheck.of(progress, START + SECOND);
    assertThat(running.getName()).isEqualTo("claim-warm-up");
    assertThat(running.getStatus()).isEqualTo(Status.DOWN);
    assertThat(running.getData().orElseThrow())
        .containsEntry("state", "running")
        .containsEntry("rounds", 3L)
        .containsEntry("roundsDone", 1L);

    progress.roundDone();
    progress.roundDone();
    progress.end(State.DONE, "");
    HealthCheckResponse done = ClaimWarmUpCheck.of(progress, START + 2 * SECOND);
    assertThat(done.getStatus()).isEqualTo(Status.UP);
    assertThat(done.getData().orElseThrow())
        .containsEntry("state", "done")
        .containsEntry("roundsDone", 3L)
        .doesNotContainKey("reason");
  }

  @Test
  void goesUpWhenTheTimeLimitPassesAndSaysWhy() {
    Progress progress = new Progress(20, LIMIT, START);
    assertThat(ClaimWarmUpCheck.of(progress, START + 29 * SECOND).getStatus())
        .isEqualTo(Status.DOWN);

    HealthCheckResponse late = ClaimWarmUpCheck.of(progress, START + 31 * SECOND);
    assertThat(late.getStatus()).isEqualTo(Status.UP);
    assertThat(late.getData().orElseThrow())
        .containsEntry("state", "timed_out")
        .containsEntry("roundsDone", 0L);
    assertThat((String) late.getData().orElseThrow().get("reason"))
        .contains("0 of 20 rounds")
        .contains("no warm instance yet");
    // the rounds finishing afterwards change nothing: it timed out
    assertThat(progress.end(State.DONE, "")).isFalse();
    assertThat(progress.state(START + 40 * SECOND)).isEqualTo(State.TIMED_OUT);
  }

  @Test
  void goesUpWhenTheWarmUpFailsWithTheReason() {
    Progress progress = new Progress(20, LIMIT, START);
    progress.end(State.FAILED, "POST /api/v1/connect answered 503");
    HealthCheckResponse failed = ClaimWarmUpCheck.of(progress, START + SECOND);
    assertThat(failed.getStatus()).isEqualTo(Status.UP);
    assertThat(failed.getData().orElseThrow())
        .containsEntry("state", "failed")
        .containsEntry("reason", "POST /api/v1/connect answered 503");
    // and a late time-out does not overwrite it
    assertThat(progress.state(START + 60 * SECOND)).isEqualTo(State.FAILED);
  }

  @Test
  void isUpAtOnceWhenOff() {
    Progress off = new Progress(0, LIMIT, START);
    HealthCheckResponse response = ClaimWarmUpCheck.of(off, START);
    assertThat(response.getStatus()).isEqualTo(Status.UP);
    assertThat(response.getData().orElseThrow()).containsEntry("state", "off");
    assertThat(ClaimWarmUp.isWarmUpUser(ClaimWarmUp.USER + "-0a1b2c3d")).isTrue();
    assertThat(ClaimWarmUp.isWarmUpUser(null)).isFalse();
    assertThat(ClaimWarmUp.isWarmUpUser("alice")).isFalse();
  }
}
