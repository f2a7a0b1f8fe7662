package dev.engram.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource for the shared {@link RedisServer}. Init argument {@code database} picks a
 * Redis database index (default 0). Sets {@code quarkus.redis.hosts}.
 */
public class RedisResource implements QuarkusTestResourceLifecycleManager {

  private String database = "0";

  @Override
  public void init(Map<String, String> initArgs) {
    database = initArgs.getOrDefault("database", database);
  }

  @Override
  public Map<String, String> start() {
    return Map.of("quarkus.redis.hosts", RedisServer.shared().url() + "/" + database);
  }

  @Override
  public void stop() {
    // Shared by every Quarkus application the JVM starts; stopped by a shutdown hook.
  }
}
