package dev.engram.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource for the shared {@link EmbeddedKafka} broker. Declare it once per module:
 * {@code @WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)}.
 *
 * <p>Sets {@code kafka.bootstrap.servers}, which the Kafka client and SmallRye Reactive Messaging
 * both read.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    return Map.of("kafka.bootstrap.servers", EmbeddedKafka.shared().bootstrapServers());
  }

  @Override
  public void stop() {
    // Shared by every Quarkus application the JVM starts; stopped by a shutdown hook.
  }
}
