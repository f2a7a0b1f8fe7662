package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.engram.events.MemoryCreated;
import dev.engram.events.MessageRole;
import dev.engram.events.Topics;
import dev.engram.memory.index.CacheStats;
import dev.engram.memory.index.VectorIndex;
import dev.engram.testing.EmbeddedKafka;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ResilienceTest {

  @Inject VectorIndex index;
  @Inject CacheStats stats;
  @Inject MeterRegistry registry;

  @Test
  void anotherReplicaLoadsVectorsFromRedis() {
    // Retried with a fresh user: right after another test restarted Redis its first calls may
    // still fail, and any Redis call that fails or times out sends the service to PostgreSQL by
    // design (the attempt is then inconclusive, and says so).
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              double redisFailures = redisFailures();
              String user = Api.newUser("replica");
              Api.create(user, "The spare key is under the blue flower pot");
              Api.search(user, Map.of("query", "spare key")).statusCode(200);
              // the periodic copy; it waits for a periodic flush that picked the user up already
              index.flushDirty().await().atMost(Duration.ofSeconds(60));
              assertThat(RedisServer.shared().command("EXISTS engram:memory:vectors:" + user))
                  .as("vectors copied to Redis")
                  .isEqualTo(":1");
              double l2Hits = stats.count("l2", "hit");
              index.evictLocal(user); // as if this were another replica
              Api.search(user, Map.of("query", "spare key"))
                  .statusCode(200)
                  .body(
                      "hits.memory.content", hasItem("The spare key is under the blue flower pot"));
              String failures =
                  "Redis calls failed or timed out during the attempt: "
                      + (redisFailures() - redisFailures);
              assertThat(stats.count("l2", "hit")).as(failures).isGreaterThan(l2Hits);
            });
  }

  private double redisFailures() {
    return registry.counter("engram.memory.redis.failures").count();
  }

  @Test
  void searchAndIngestKeepWorkingWhileRedisIsDown() {
    String user = Api.newUser("noredis");
    Api.create(user, "I parked the car on level 3 of the station garage");
    RedisServer.shared().stop();
    try {
      Api.create(user, "The plumber comes on Monday morning");
      index.evictLocal(user); // nothing in L1: PostgreSQL must answer
      Api.search(user, Map.of("query", "where did I park the car", "k", 5))
          .statusCode(200)
          .body(
              "hits.memory.content", hasItem("I parked the car on level 3 of the station garage"));
      Api.search(user, Map.of("query", "plumber", "k", 5))
          .statusCode(200)
          .body("hits.memory.content", hasItem("The plumber comes on Monday morning"));
    } finally {
      RedisServer.shared().start();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Api.create(user, "Recovered: the gym opens at 6am");
              assertThat(
                      RedisServer.shared().command("EXISTS engram:memory:vectors-version:" + user))
                  .isEqualTo(":1");
            });
    Api.search(user, Map.of("query", "gym opening time plumber parking", "k", 10))
        .statusCode(200)
        .body(
            "hits.memory.content",
            hasItems(
                "Recovered: the gym opens at 6am",
                "The plumber comes on Monday morning",
                "I parked the car on level 3 of the station garage"));
  }

  @Test
  void nothingIsLostWhileKafkaIsDown() {
    String user = Api.newUser("nokafka");
    UUID session = UUID.randomUUID();
    EmbeddedKafka.shared().stopBroker();
    String id;
    try {
      id = Api.create(user, "Accepted while Kafka was down");
    } finally {
      EmbeddedKafka.shared().startBroker();
    }
    EmbeddedKafka.shared()
        .publish(
            Messages.appended(
                user,
                session,
                1,
                MessageRole.USER,
                "Consumed after the broker came back",
                Instant.now()));
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                TestDatabase.queryLong(
                        "engram_memory_test",
                        "select count(*) from memory where user_id = ? and type = 'EPISODIC'",
                        user)
                    == 2);
    var events =
        EmbeddedKafka.shared()
            .eventsForUser(
                Topics.MEMORIES,
                user,
                read ->
                    read.stream()
                        .filter(e -> e.data() instanceof MemoryCreated)
                        .map(e -> ((MemoryCreated) e.data()).memoryId().toString())
                        .anyMatch(id::equals),
                Duration.ofSeconds(90));
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e.data())
                    .isInstanceOfSatisfying(
                        MemoryCreated.class, c -> assertThat(c.memoryId()).hasToString(id)));
    as(user).get("/api/v1/memories/" + id).then().statusCode(200);
  }
}
