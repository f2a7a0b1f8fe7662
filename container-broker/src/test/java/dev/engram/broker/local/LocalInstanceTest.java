package dev.engram.broker.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.broker.pool.Activity;
import dev.engram.broker.pool.Instance;
import dev.engram.broker.pool.InstancePhase;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The local runtime keeps the runtime's contract on bindings: an unbind or a heartbeat is about the
 * binding it was decided on (its claim), and does nothing to a later one.
 */
class LocalInstanceTest {

  private static final Instant T0 = Instant.parse("2026-12-04T15:00:00Z");

  @Test
  void aStaleUnbindLeavesTheNextBindingAlone() {
    LocalInstance instance = warm();
    Instance boundToA = claim(instance, "alice", "claim-a");
    assertThat(instance.unbind(boundToA.claimId())).isTrue();
    claim(instance, "bob", "claim-b");

    assertThat(instance.unbind(boundToA.claimId())).isFalse();
    Instance now = instance.snapshot();
    assertThat(now.phase()).isEqualTo(InstancePhase.BOUND);
    assertThat(now.userId()).isEqualTo("bob");
    assertThat(now.claimId()).isEqualTo("claim-b");
  }

  @Test
  void aHeartbeatOfAnEndedBindingRecordsNothing() {
    LocalInstance instance = warm();
    Instance boundToA = claim(instance, "alice", "claim-a");
    instance.unbind(boundToA.claimId());

    assertThat(instance.heartbeat(T0, new Activity(T0, T0), boundToA.claimId())).isFalse();
    assertThat(instance.snapshot().activity()).isNull();
    assertThat(instance.snapshot().heartbeatAt()).isNull();

    // a warm heartbeat is recorded while it is warm, and dropped once someone claimed it
    assertThat(instance.heartbeat(T0, null, null)).isTrue();
    claim(instance, "bob", "claim-b");
    Activity bobs = new Activity(T0.plusSeconds(5), T0.plusSeconds(5));
    assertThat(instance.heartbeat(T0.plusSeconds(5), bobs, "claim-b")).isTrue();
    assertThat(instance.heartbeat(T0.plusSeconds(9), null, null)).isFalse();
    assertThat(instance.snapshot().activity()).isEqualTo(bobs);
    assertThat(instance.snapshot().heartbeatAt()).isEqualTo(T0.plusSeconds(5));
  }

  private static LocalInstance warm() {
    LocalInstance instance = new LocalInstance("local-1", "127.0.0.1", 8090, T0);
    assertThat(instance.ready(T0)).isTrue();
    return instance;
  }

  private static Instance claim(LocalInstance instance, String user, String claim) {
    assertThat(instance.claim(instance.snapshot().version(), user, claim, T0)).isTrue();
    return instance.snapshot();
  }
}
