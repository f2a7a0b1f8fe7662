package dev.engram.memory;

import static dev.engram.memory.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.memory.client.InvalidationClient;
import dev.engram.memory.client.VectorCacheClient;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.index.CacheStats;
import dev.engram.memory.index.UserVectors;
import dev.engram.memory.index.VectorCodec;
import dev.engram.memory.index.VectorIndex;
import dev.engram.memory.model.Memory;
import dev.engram.memory.repository.MemoryRepository;
import dev.engram.memory.service.RetrievalReinforcement;
import dev.engram.testing.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' caches in one JVM: the service's own {@link VectorIndex} (replica A, changed
 * through the API) and a second one built here with its own invalidation subscription (replica B).
 * B's L1 entry must not stay stale after A changes the user's memories.
 */
@QuarkusTest
class ReplicaInvalidationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Inject ReactiveRedisDataSource redis;
  @Inject MemoryConfig config;
  @Inject MeterRegistry registry;
  @Inject MemoryRepository repository;
  @Inject CacheStats stats;
  @Inject Embedder embedder;
  @Inject VectorIndex index;
  @Inject VectorCacheClient l2;
  @Inject RetrievalReinforcement reinforcement;

  private VectorIndex replicaB;
  private InvalidationClient channelB;

  @BeforeEach
  void replicaB() {
    channelB = new InvalidationClient(redis, config);
    replicaB =
        new VectorIndex(
            new VectorCacheClient(redis, config, registry, channelB),
            repository,
            config,
            stats,
            embedder);
    // B subscribes and hears its own heartbeat (another test may just have restarted Redis)
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              channelB.heartbeat().await().atMost(WAIT);
              return channelB.live();
            });
  }

  @AfterEach
  void closeReplicaB() {
    channelB.close();
  }

  private UserVectors onB(String user) {
    return replicaB.vectors(user).await().atMost(WAIT);
  }

  @Test
  void aMemoryStoredOnOneReplicaDropsTheOthersStaleEntry() {
    String user = Api.newUser("replicas");
    Api.create(user, "The bike lock code is 4711");
    assertThat(onB(user).size()).isEqualTo(1);

    Api.create(user, "The garage opens with the red remote");

    // B drops its entry when A's message arrives, without being asked
    await().atMost(WAIT).until(() -> !replicaB.holdsLocally(user));
    assertThat(onB(user).size()).isEqualTo(2);
  }

  @Test
  void aDeletionOnOneReplicaDropsTheOthersStaleEntry() {
    String user = Api.newUser("replicas");
    String id = Api.create(user, "The bike lock code is 4711");
    Api.create(user, "The garage opens with the red remote");
    assertThat(onB(user).size()).isEqualTo(2);

    as(user).delete("/api/v1/memories/" + id).then().statusCode(204);

    await().atMost(WAIT).until(() -> !replicaB.holdsLocally(user));
    assertThat(onB(user).vector(UUID.fromString(id))).isNull();
  }

  @Test
  void aReinforcementOnOneReplicaDropsTheOthersRowsButKeepsItsVectors() {
    String user = Api.newUser("replicas");
    UUID id = UUID.fromString(Api.create(user, "The bike lock code is 4711"));
    UserVectors vectors = onB(user);
    Memory before = rowOnB(vectors, user, id);
    assertThat(before.accessCount()).isZero();
    long version = vectors.version();

    reinforce(user, id);

    await().atMost(WAIT).until(() -> vectors.version() > version);
    assertThat(onB(user)).as("vectors kept").isSameAs(vectors);
    assertThat(rowOnB(vectors, user, id).accessCount()).isEqualTo(1);
  }

  @Test
  void aMissedMessageIsCaughtByTheVersionOnALaterRead() {
    String user = Api.newUser("replicas");
    Api.create(user, "The bike lock code is 4711");
    UserVectors stale = onB(user);
    // a change whose message B never hears: the version moves on in Redis, nothing is published
    String bumped = RedisServer.shared().command("INCR engram:memory:vectors-version:" + user);
    long current = Long.parseLong(bumped.substring(1).trim());

    // a later read (past l1-recheck) confirms the version in the background and drops the entry
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> onB(user) != stale && onB(user).version() == current);
  }

  @Test
  void aRetrievalReinforcementUpdatesThisReplicasRowsInPlace() {
    String user = Api.newUser("replicas");
    UUID id = UUID.fromString(Api.create(user, "The bike lock code is 4711"));
    Api.search(user, Map.of("query", "bike lock code", "k", 1))
        .statusCode(200)
        .body("hits[0].memory.accessCount", org.hamcrest.Matchers.is(0));
    reinforcement.flush(user).await().atMost(WAIT); // the search's retrieval practice
    UserVectors vectors = index.vectors(user).await().atMost(WAIT);
    Memory stored = repository.find(user, id).await().atMost(WAIT).orElseThrow();
    assertThat(stored.accessCount()).isEqualTo(1);

    // this replica holds the reinforced row as stored: its next search reads no row from the
    // database (nor its vectors: the entry is the one it had)
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<UUID> missing = new ArrayList<>();
              Memory held =
                  vectors.hitRows(config.cache().l1RowsPerUser()).get(List.of(id), missing).get(id);
              assertThat(missing).isEmpty();
              assertThat(held.accessCount()).isEqualTo(1);
              assertThat(held.strength()).isEqualTo(stored.strength());
              assertThat(held.lastAccessedAt()).isEqualTo(stored.lastAccessedAt());
            });
    assertThat(index.vectors(user).await().atMost(WAIT)).isSameAs(vectors);
    Api.search(user, Map.of("query", "bike lock code", "k", 1))
        .statusCode(200)
        .body("hits[0].memory.accessCount", org.hamcrest.Matchers.is(1));
  }

  @Test
  void twoReinforcementWritesOfOneUserAtOnceLeaveItsEntryCurrent() {
    String user = Api.newUser("replicas");
    UUID first = UUID.fromString(Api.create(user, "The bike lock code is 4711"));
    UUID second = UUID.fromString(Api.create(user, "The garage opens with the red remote"));
    UserVectors vectors = index.vectors(user).await().atMost(WAIT);
    // two windows of the user closing at once (a slow database): both writes are under way
    reinforcement.retrieved(user, List.of(first), null);
    io.smallrye.mutiny.Uni<Void> one = reinforcement.flush(user);
    reinforcement.retrieved(user, List.of(second), null);
    io.smallrye.mutiny.Uni<Void> other = reinforcement.flush(user);
    io.smallrye.mutiny.Uni.join().all(one, other).andFailFast().await().atMost(WAIT);

    assertThat(SearchResourceTest.accessCount(first.toString())).isEqualTo(1);
    assertThat(SearchResourceTest.accessCount(second.toString())).isEqualTo(1);
    // this replica's entry took in both of its own bumps: current, so kept (no reload)
    assertThat(vectors.version()).isEqualTo(l2.version(user).await().atMost(WAIT).orElseThrow());
    assertThat(index.vectors(user).await().atMost(WAIT)).isSameAs(vectors);
  }

  @Test
  void aReinforcementKeepsTheRedisCopyOfTheVectorsCurrent() {
    String user = Api.newUser("replicas");
    UUID id = UUID.fromString(Api.create(user, "The bike lock code is 4711"));
    // a version of several bytes, so the copy's stamp is rewritten whole
    RedisServer.shared().command("SET engram:memory:vectors-version:" + user + " 70000");
    index.evictLocal(user);
    index.vectors(user).await().atMost(WAIT); // loaded from the database, copied to Redis
    await().atMost(WAIT).untilAsserted(() -> assertThat(copyVersion(user)).isEqualTo(70000));

    reinforce(user, id);

    // only the row changed: the vectors in Redis are current at the new version, so another
    // replica loads them from there, not from the database
    long current = l2.version(user).await().atMost(WAIT).orElseThrow();
    assertThat(current).isEqualTo(70001);
    assertThat(copyVersion(user)).isEqualTo(current);
    UserVectors onB = onB(user);
    assertThat(onB.version()).isEqualTo(current);
    assertThat(rowOnB(onB, user, id).accessCount()).isEqualTo(1);
  }

  @Test
  void aReinforcementDoesNotStampACopyThatMissesAnotherReplicasChange() {
    String user = Api.newUser("replicas");
    UUID id = UUID.fromString(Api.create(user, "The bike lock code is 4711"));
    index.evictLocal(user);
    index.vectors(user).await().atMost(WAIT);
    long copied = copyVersion(user);
    // another replica changed the vectors (its copy not yet written): the version moved on
    String bumped = RedisServer.shared().command("INCR engram:memory:vectors-version:" + user);
    assertThat(Long.parseLong(bumped.substring(1).trim())).isEqualTo(copied + 1);

    reinforce(user, id);

    assertThat(l2.version(user).await().atMost(WAIT)).contains(copied + 2);
    assertThat(copyVersion(user)).as("the copy misses a change: left behind").isEqualTo(copied);
  }

  /** The version stamped on the user's Redis copy, once there is one (a load writes it behind). */
  private long copyVersion(String user) {
    return VectorCodec.version(
        await()
            .atMost(WAIT)
            .until(() -> l2.blob(user).await().atMost(WAIT), java.util.Optional::isPresent)
            .orElseThrow());
  }

  private Memory rowOnB(UserVectors vectors, String user, UUID id) {
    return replicaB.rows(vectors, user, List.of(id)).await().atMost(WAIT).get(id);
  }

  /** The user reinforces the memory explicitly (a rows-only change). */
  private static void reinforce(String user, UUID id) {
    as(user)
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "EXPLICIT"))
        .post("/api/v1/memories/" + id + "/reinforce")
        .then()
        .statusCode(200);
  }
}
