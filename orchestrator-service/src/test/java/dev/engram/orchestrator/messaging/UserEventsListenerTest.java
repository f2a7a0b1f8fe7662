package dev.engram.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class UserEventsListenerTest {

  @Test
  void theUsersPartitionIsTheOneProducersWriteTheirKeyTo() {
    for (String user : new String[] {"alice", "bob", "carol-1234", "ünïcode", ""}) {
      for (int partitions : new int[] {1, 3, 12, 50}) {
        assertThat(UserEventsListener.partitionOf(user, partitions))
            .as("%s over %d partitions", user, partitions)
            .isEqualTo(
                BuiltInPartitioner.partitionForKey(
                    user.getBytes(StandardCharsets.UTF_8), partitions));
      }
    }
  }
}
