package dev.engram.broker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CreationsTest {

  private final AtomicLong clock = new AtomicLong();
  private final Creations creations = new Creations(clock::get);

  private static Instance warm(String name) {
    Instant t = Instant.EPOCH;
    return new Instance(
        name,
        "http://" + name,
        InstancePhase.WARM,
        null,
        null,
        t,
        t,
        t,
        null,
        null,
        null,
        true,
        "1");
  }

  @Test
  void creationsUnderWayAndUnseenCountAgainstTheMaximum() {
    List<Instance> view = new ArrayList<>(List.of(warm("a")));
    assertThat(creations.begin(view, 3)).isTrue(); // a cold start
    assertThat(creations.begin(view, 3)).isTrue(); // the refill
    assertThat(creations.begin(view, 3)).as("a, and two under way").isFalse();
    assertThat(creations.pending(view)).isEqualTo(2);

    creations.created("b");
    creations.failed();
    assertThat(creations.pending(view)).as("b created, not seen yet").isEqualTo(1);
    assertThat(creations.begin(view, 3)).isTrue();
    creations.failed();

    view.add(warm("b"));
    assertThat(creations.pending(view)).as("b is in the view now").isZero();
  }

  @Test
  void anInstanceTheViewNeverShowsStopsCountingAfterAGrace() {
    assertThat(creations.begin(List.of(), 1)).isTrue();
    creations.created("lost");
    assertThat(creations.begin(List.of(), 1)).isFalse();
    clock.addAndGet(Creations.UNSEEN_GRACE_NANOS + 1);
    assertThat(creations.begin(List.of(), 1)).isTrue();
  }
}
