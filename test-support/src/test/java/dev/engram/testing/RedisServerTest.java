package dev.engram.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class RedisServerTest {

  @Test
  void privateServerStopsAndStartsOnTheSamePort() {
    RedisServer redis = RedisServer.shared();
    assumeTrue(redis.restartable(), "redis-server is not installed; the machine's Redis is used");
    assertThat(redis.command("SET engram:test 1")).isEqualTo("+OK");

    redis.stop();
    assertThat(redis.ping()).isFalse();
    redis.start();

    assertThat(redis.ping()).isTrue();
    assertThat(redis.url()).endsWith(":" + redis.port());
  }
}
