package dev.engram.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.events.CloudEvent;
import dev.engram.events.Sources;
import dev.engram.events.Topics;
import dev.engram.events.UserErased;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

  @Test
  void publishedEventsAreReadBackAfterTheBrokerRestarts() {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    String user = "user-" + UUID.randomUUID();
    var before = CloudEvent.of(Sources.SESSION_SERVICE, user, new UserErased(Instant.now(), 1, 2));
    kafka.publish(before);

    kafka.stopBroker();
    kafka.startBroker();
    var after = CloudEvent.of(Sources.SESSION_SERVICE, user, new UserErased(Instant.now(), 3, 4));
    kafka.publish(after);

    var events =
        kafka.eventsForUser(
            Topics.SESSIONS, user, read -> read.size() >= 2, Duration.ofSeconds(30));
    assertThat(events).extracting(CloudEvent::id).containsExactly(before.id(), after.id());
    assertThat(events.get(1).data()).isEqualTo(after.data());
  }
}
