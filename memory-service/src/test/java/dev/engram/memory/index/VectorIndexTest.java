package dev.engram.memory.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.Api;
import dev.engram.memory.config.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What a search finds in this replica's L1 after changes and while a user's vectors load. */
@QuarkusTest
class VectorIndexTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Inject VectorIndex index;
  @Inject MemoryConfig config;
  @Inject Embedder embedder;

  @Test
  void concurrentLoadsOfAUserAtOneVersionShareOneLoad() {
    String user = Api.newUser("loads");
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<UserVectors> slow = new CompletableFuture<>();
    Supplier<Uni<UserVectors>> load =
        () -> {
          loads.incrementAndGet();
          return Uni.createFrom().completionStage(slow);
        };

    var first = index.shared(user, 3, load).subscribeAsCompletionStage();
    var second = index.shared(user, 3, load).subscribeAsCompletionStage();
    var newer = index.shared(user, 4, load).subscribeAsCompletionStage();
    assertThat(loads).as("one load per version").hasValue(2);
    UserVectors loaded = new UserVectors(embedder.dimension(), 0, 3);
    slow.complete(loaded);

    assertThat(first.join()).isSameAs(loaded);
    assertThat(second.join()).isSameAs(loaded);
    assertThat(newer.join()).isSameAs(loaded);
    // a load that has finished is not reused: the next one after it loads again
    index.shared(user, 3, load).await().atMost(WAIT);
    assertThat(loads).hasValue(3);
  }

  @Test
  void aLoadThatFailsFailsEveryoneWaitingAndIsNotReused() {
    String user = Api.newUser("loads");
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<UserVectors> failing = new CompletableFuture<>();
    Supplier<Uni<UserVectors>> load =
        () -> {
          loads.incrementAndGet();
          return Uni.createFrom().completionStage(failing);
        };
    var first = index.shared(user, 1, load).subscribeAsCompletionStage();
    var second = index.shared(user, 1, load).subscribeAsCompletionStage();
    failing.completeExceptionally(new IllegalStateException("database down"));

    assertThat(first).isCompletedExceptionally();
    assertThat(second).isCompletedExceptionally();
    assertThat(
            index
                .shared(
                    user,
                    1,
                    () -> Uni.createFrom().item(new UserVectors(embedder.dimension(), 0, 1)))
                .await()
                .atMost(WAIT)
                .version())
        .isEqualTo(1);
    assertThat(loads).hasValue(1);
  }

  @Test
  void aCallerWhoGoesAwayDoesNotCancelTheLoadForTheOthers() {
    String user = Api.newUser("loads");
    CompletableFuture<UserVectors> slow = new CompletableFuture<>();
    var staying = index.shared(user, 2, () -> Uni.createFrom().completionStage(slow));
    var leaving = index.shared(user, 2, () -> Uni.createFrom().completionStage(slow));
    var stayed = staying.subscribeAsCompletionStage();
    leaving.subscribe().with(v -> {}, e -> {}).cancel();

    UserVectors loaded = new UserVectors(embedder.dimension(), 0, 2);
    slow.complete(loaded);

    assertThat(stayed.join()).isSameAs(loaded);
  }

  @Test
  void storingAMemoryKeepsTheRowsOfTheOthersForTheNextSearch() {
    String user = Api.newUser("rows");
    UUID bike = UUID.fromString(Api.create(user, "The bike lock code is 4711"));
    UserVectors vectors = index.vectors(user).await().atMost(WAIT);
    index.rows(vectors, user, List.of(bike)).await().atMost(WAIT);
    assertThat(held(vectors, bike)).isTrue();

    Api.create(user, "The garage opens with the red remote");

    assertThat(index.vectors(user).await().atMost(WAIT)).as("same entry").isSameAs(vectors);
    assertThat(vectors.size()).isEqualTo(2);
    assertThat(held(vectors, bike)).as("no database read for it on the next search").isTrue();
  }

  @Test
  void storingAMemoryThatRepeatsAnotherDropsTheRowItReinforced() {
    String user = Api.newUser("rows");
    UUID bike = UUID.fromString(Api.create(user, "The bike lock code is 4711"));
    UserVectors vectors = index.vectors(user).await().atMost(WAIT);
    long accessed =
        index.rows(vectors, user, List.of(bike)).await().atMost(WAIT).get(bike).accessCount();
    double strength =
        index.rows(vectors, user, List.of(bike)).await().atMost(WAIT).get(bike).strength();

    Api.create(user, "The bike lock code is 4711");

    assertThat(held(vectors, bike)).as("its row changed").isFalse();
    var row = index.rows(vectors, user, List.of(bike)).await().atMost(WAIT).get(bike);
    assertThat(row.strength() != strength || row.accessCount() != accessed)
        .as("the next search reads the reinforced row")
        .isTrue();
  }

  private boolean held(UserVectors vectors, UUID id) {
    List<UUID> missing = new ArrayList<>();
    vectors.hitRows(config.cache().l1RowsPerUser()).get(List.of(id), missing);
    return missing.isEmpty();
  }
}
