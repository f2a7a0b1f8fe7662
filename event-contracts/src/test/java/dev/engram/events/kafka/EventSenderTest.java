package dev.engram.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.events.CloudEvent;
import dev.engram.events.PoolResized;
import dev.engram.events.Sources;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The sender's bounds, with no Kafka to send to (every send waits for metadata and then fails):
 * what a caller gets while Kafka is away. Sending to a real broker, with the trace headers, is
 * covered by the services that use it (container-broker's pool tests, orchestrator's TracingTest).
 */
class EventSenderTest {

  private final Map<Object, String> notSent = new ConcurrentHashMap<>();
  private final CountDownLatch threeNotSent = new CountDownLatch(3);

  @Test
  void whileKafkaIsAwayEventsBeyondTheBoundAreRefusedAndTheQueuedOnesReportedWhenTheyFail()
      throws Exception {
    try (EventSender sender = sender(2)) {
      CloudEvent<?> first = event(), second = event(), third = event();

      assertThat(sender.publish(first, Context.root())).isTrue();
      assertThat(sender.publish(second, Context.root())).isTrue();
      // the first is in the producer's send (waiting for metadata), the second queued behind it
      assertThat(sender.publish(third, Context.root())).isFalse();
      assertThat(notSent).containsOnlyKeys(third.id());
      assertThat(notSent.get(third.id())).contains("2 events already waiting");

      // no broker ever answers: both queued events are reported too, and nothing is left waiting
      assertThat(threeNotSent.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(notSent).containsKeys(first.id(), second.id());
      // a failure is reported from inside the send, a moment before the event leaves the count
      await().atMost(Duration.ofSeconds(5)).until(sender::pending, n -> n == 0);
    }
  }

  @Test
  void aClosedSenderRefusesEvents() throws Exception {
    EventSender sender = sender(10);
    assertThat(sender.closeWithin(Duration.ofSeconds(1))).isTrue();

    CloudEvent<?> late = event();
    assertThat(sender.publish(late, Context.root())).isFalse();
    assertThat(notSent.get(late.id())).isEqualTo("shutting down");
    assertThat(sender.pending()).isZero();
  }

  private EventSender sender(int maxPending) throws IOException {
    return new EventSender(
        "engram.test",
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort()),
        Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1500"),
        maxPending,
        "test-events",
        TextMapPropagator.noop(),
        (event, reason) -> {
          notSent.put(event.id(), reason);
          threeNotSent.countDown();
        });
  }

  private static CloudEvent<?> event() {
    return CloudEvent.of(Sources.CONTAINER_BROKER, null, new PoolResized(1, 0, 0, 0, 1, 4));
  }

  /** A port nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
